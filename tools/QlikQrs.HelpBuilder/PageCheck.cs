using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QlikQrs.HelpBuilder.Commands;
using QlikQrs.HelpBuilder.Pages;

namespace QlikQrs.HelpBuilder;

/// <summary>Where a page and its cmdlet disagree, in words a build log can show next to the page's path.</summary>
public static class PageCheck
{
    public static IEnumerable<string> Problems(CommandShape command, CommandPage page)
    {
        if (page.Synopsis.Length == 0)
        {
            yield return "SYNOPSIS is empty.";
        }

        if (page.Description.Count == 0)
        {
            yield return "DESCRIPTION is empty.";
        }

        foreach (ParameterShape parameter in command.Parameters.Where(p => !page.Parameters.ContainsKey(p.Name)))
        {
            yield return $"-{parameter.Name} is not documented: add a '### -{parameter.Name}' section under PARAMETERS.";
        }

        foreach (string name in page.Parameters.Keys.Where(n => !command.Parameters.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
        {
            yield return $"-{name} is documented, but {command.Name} has no such parameter.";
        }

        foreach (string name in page.Parameters.Where(p => p.Value.Count == 0).Select(p => p.Key))
        {
            yield return $"-{name} has no description.";
        }

        foreach (string problem in Types("INPUTS", command.InputTypes, page.Inputs).Concat(Types("OUTPUTS", command.OutputTypes, page.Outputs)))
        {
            yield return problem;
        }

        if (File.ReadAllText(page.Path).Contains(PageUpdater.Placeholder, StringComparison.Ordinal))
        {
            yield return $"Still holds text to fill in ('{PageUpdater.Placeholder} ...').";
        }

        foreach (PageExample example in page.Examples.Where(e => e.CodeBlocks != 1))
        {
            yield return $"'{example.Title}' has {example.CodeBlocks} code blocks; an example has exactly one.";
        }
    }

    private static IEnumerable<string> Types(string section, IReadOnlyList<string> fromCode, IReadOnlyDictionary<string, IReadOnlyList<string>> onPage)
    {
        IReadOnlyList<string> expected = fromCode.Count == 0 ? new[] { "None" } : fromCode;
        foreach (string type in expected.Where(t => !onPage.ContainsKey(t)))
        {
            yield return $"{section} lacks '### {type}', which the cmdlet declares.";
        }

        foreach (string type in onPage.Keys.Where(t => !expected.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            yield return $"{section} names '{type}', which the cmdlet does not declare (it has: {string.Join(", ", expected)}).";
        }
    }
}
