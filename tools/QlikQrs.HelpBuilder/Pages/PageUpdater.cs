using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Markdig.Syntax;
using QlikQrs.HelpBuilder.Commands;

namespace QlikQrs.HelpBuilder.Pages;

/// <summary>
/// Refreshes what a page copies from the code, in the PlatyPS 1.0 schema, for those without PlatyPS: the SYNTAX
/// section, each parameter's YAML block, and a section to fill in for each parameter, input or output type the page
/// lacks. Every word a person wrote stays as it is. A cmdlet without a page gets a new one with placeholders.
/// </summary>
public static class PageUpdater
{
    /// <summary>Starts every text a person still has to write; the build warns while one is left.</summary>
    public const string Placeholder = "{{ Fill in";

    public static string NewPage(CommandShape command, string moduleName, DateTime today)
    {
        string page = $"""
            ---
            document type: cmdlet
            external help file: {command.HelpFileName}
            HelpUri: ''
            Locale: en-US
            Module Name: {moduleName}
            ms.date: {today.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)}
            PlatyPS schema version: 2024-05-01
            title: {command.Name}
            ---

            # {command.Name}

            ## SYNOPSIS

            {Fill("the synopsis: one sentence saying what the cmdlet does.")}

            ## SYNTAX

            ## ALIASES

            This cmdlet has no aliases.

            ## DESCRIPTION

            {Fill("the description.")}

            ## EXAMPLES

            ### Example 1: {Fill("the title")}

            ```powershell
            {Fill("the code")}
            ```

            {Fill("a sentence saying what the example does.")}

            ## PARAMETERS

            ### CommonParameters

            This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable,
            -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable,
            -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see
            [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).

            ## INPUTS

            ## OUTPUTS

            ## NOTES

            The examples run as they are against the sandbox QRS, unless marked otherwise; see about_QlikQrs.

            ## RELATED LINKS

            - [about_{moduleName}](about_{moduleName}.md)

            """;
        return Update(page, command);
    }

    public static string Update(string markdown, CommandShape command)
    {
        string newLine = markdown.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        List<Block> blocks = PageReader.Parse(markdown).ToList();
        var replacements = new List<(int Start, int End, string Text)>();
        var insertions = new SortedDictionary<int, StringBuilder>();
        void Insert(int at, string text)
        {
            if (!insertions.TryGetValue(at, out StringBuilder? pending))
            {
                insertions[at] = pending = new StringBuilder();
            }

            pending.Append(text.Replace("\n", newLine, StringComparison.Ordinal));
        }

        if (Section(blocks, "SYNTAX") is (int syntax, int syntaxEnd))
        {
            int start = LineAfter(markdown, blocks[syntax].Span.End);
            replacements.Add((start, Offset(blocks, syntaxEnd, markdown), (newLine + SyntaxText(command)).Replace("\n", newLine, StringComparison.Ordinal)));
        }

        if (Section(blocks, "PARAMETERS") is (int parameters, int parametersEnd))
        {
            var documented = new List<(string Name, int At)>();
            int? commonParameters = null;
            for (int i = parameters + 1; i < parametersEnd; i++)
            {
                if (blocks[i] is not HeadingBlock { Level: 3 } heading)
                {
                    continue;
                }

                string title = PlainText.Of(heading.Inline);
                if (!title.StartsWith('-'))
                {
                    commonParameters ??= heading.Span.Start;
                    continue;
                }

                documented.Add((title.TrimStart('-'), heading.Span.Start));
                if (command.Parameters.FirstOrDefault(p => p.Name.Equals(title.TrimStart('-'), StringComparison.OrdinalIgnoreCase)) is not ParameterShape parameter)
                {
                    continue;
                }

                int entryEnd = NextHeading(blocks, i, 3);
                if (blocks.Skip(i + 1).Take(entryEnd - i - 1).OfType<FencedCodeBlock>().FirstOrDefault(b => b.Info == "yaml") is FencedCodeBlock yaml)
                {
                    replacements.Add((yaml.Span.Start, yaml.Span.End + 1, YamlBlock(command, parameter).Replace("\n", newLine, StringComparison.Ordinal)));
                }
                else
                {
                    Insert(blocks[entryEnd - 1].Span.End + 1, "\n\n" + YamlBlock(command, parameter));
                }
            }

            foreach (ParameterShape parameter in command.Parameters.Where(p => !documented.Any(d => d.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
            {
                int at = documented.Where(d => string.Compare(d.Name, parameter.Name, StringComparison.OrdinalIgnoreCase) > 0).Select(d => (int?)d.At).FirstOrDefault()
                    ?? commonParameters ?? Offset(blocks, parametersEnd, markdown);
                Insert(at, $"### -{parameter.Name}\n\n{Fill($"what -{parameter.Name} is for.")}\n\n{YamlBlock(command, parameter)}\n\n");
            }
        }

        AddMissingTypes(blocks, markdown, "INPUTS", command.InputTypes, "what the cmdlet takes from the pipeline as", Insert);
        AddMissingTypes(blocks, markdown, "OUTPUTS", command.OutputTypes, "what the cmdlet writes as", Insert);

        var text = new StringBuilder(markdown);
        IEnumerable<(int Start, int End, string Text)> edits = replacements
            .Concat(insertions.Select(i => (Start: i.Key, End: i.Key, Text: i.Value.ToString())))
            .OrderByDescending(e => e.Start);
        foreach ((int start, int end, string replacement) in edits)
        {
            text.Remove(start, end - start).Insert(start, replacement);
        }

        return text.ToString();
    }

    /// <summary>One fenced block per parameter set, the default first, as PowerShell itself writes the syntax.</summary>
    public static string SyntaxText(CommandShape command)
    {
        var text = new StringBuilder();
        foreach (ParameterSetShape set in command.Sets.OrderByDescending(s => s.IsDefault))
        {
            string name = set.IsDefault && command.Sets.Count > 1 ? set.Name + " (Default)" : set.Name;
            text.Append($"### {name}\n\n```\n{set.Syntax}\n```\n\n");
        }

        return text.ToString();
    }

    public static string YamlBlock(CommandShape command, ParameterShape parameter)
    {
        var yaml = new StringBuilder("```yaml\n");
        yaml.Append($"Type: {TypeNames.FullName(parameter.Type)}\n");
        yaml.Append($"DefaultValue: {Quoted(parameter.DefaultValue ?? string.Empty)}\n");
        yaml.Append($"SupportsWildcards: {Flag(parameter.SupportsWildcards)}\n");
        yaml.Append(List("Aliases", parameter.Aliases));
        yaml.Append("ParameterSets:\n");
        IEnumerable<(string Set, SetParameter Use)> uses = parameter.InAllSets
            ? command.Uses(parameter).Take(1).Select(u => ("(All)", u))
            : command.Sets.SelectMany(s => s.Parameters.Where(p => p.Parameter == parameter).Select(u => (s.Name, u)));
        foreach ((string set, SetParameter use) in uses)
        {
            yaml.Append($"- Name: {set}\n");
            yaml.Append($"  Position: {(use.Position is int position ? position.ToString(CultureInfo.InvariantCulture) : "Named")}\n");
            yaml.Append($"  IsRequired: {Flag(use.Mandatory)}\n");
            yaml.Append($"  ValueFromPipeline: {Flag(use.ByValue)}\n");
            yaml.Append($"  ValueFromPipelineByPropertyName: {Flag(use.ByPropertyName)}\n");
            yaml.Append($"  ValueFromRemainingArguments: {Flag(use.RemainingArguments)}\n");
        }

        yaml.Append("DontShow: false\n");
        yaml.Append(List("AcceptedValues", parameter.AcceptedValues));
        yaml.Append("HelpMessage: ''\n```");
        return yaml.ToString();
    }

    private static string Fill(string what) => $"{Placeholder} {what} }}}}";

    private static void AddMissingTypes(List<Block> blocks, string markdown, string heading, IReadOnlyList<string> types, string what, Action<int, string> insert)
    {
        if (Section(blocks, heading) is not (int section, int sectionEnd))
        {
            return;
        }

        var named = blocks.Skip(section + 1).Take(sectionEnd - section - 1).OfType<HeadingBlock>().Select(h => PlainText.Of(h.Inline)).ToList();
        foreach (string type in types.DefaultIfEmpty("None").Where(t => !named.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            insert(Offset(blocks, sectionEnd, markdown), $"### {type}\n\n{Fill($"{what} {type}.")}\n\n");
        }
    }

    private static (int Heading, int End)? Section(List<Block> blocks, string name)
    {
        int index = blocks.FindIndex(b => b is HeadingBlock { Level: 2 } h && string.Equals(PlainText.Of(h.Inline), name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : (index, NextHeading(blocks, index, 2));
    }

    /// <summary>The index of the next heading of <paramref name="level"/> or above after <paramref name="index"/>.</summary>
    private static int NextHeading(List<Block> blocks, int index, int level)
    {
        int next = blocks.FindIndex(index + 1, b => b is HeadingBlock h && h.Level <= level);
        return next < 0 ? blocks.Count : next;
    }

    private static int Offset(List<Block> blocks, int index, string markdown) => index < blocks.Count ? blocks[index].Span.Start : markdown.Length;

    private static int LineAfter(string markdown, int position)
    {
        int newLine = markdown.IndexOf('\n', position);
        return newLine < 0 ? markdown.Length : newLine + 1;
    }

    private static string List(string name, IReadOnlyList<string> values) =>
        values.Count == 0 ? $"{name}: []\n" : $"{name}:\n" + string.Concat(values.Select(v => $"- {v}\n"));

    private static string Quoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Flag(bool value) => value ? "true" : "false";
}
