using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Help;

/// <summary>
/// The committed pages in docs/en-US against the compiled cmdlets, read straight from the markdown: a parameter added
/// to a cmdlet without a section on its page, or a section for a parameter the cmdlet no longer has, fails here before
/// any help is built.
/// </summary>
public sealed class DocsPageTests : IDisposable
{
    private static readonly string s_docs = Path.Combine(ModuleLocation.RepoRoot, "docs", "en-US");
    private readonly PowerShellSession _session = new();

    public static IEnumerable<object[]> Cmdlets => ModuleCommands.Cmdlets;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void PageNamesExactlyTheCmdletsParameters(string name)
    {
        string[] inCode = ModuleCommands.ParameterNames(ModuleCommands.Get(_session, name));
        string[] onPage = Regex.Matches(Section(Page(name), "PARAMETERS"), @"(?m)^### -(\S+)\s*$").Select(m => m.Groups[1].Value).ToArray();

        string[] undocumented = inCode.Except(onPage, StringComparer.OrdinalIgnoreCase).ToArray();
        string[] unknown = onPage.Except(inCode, StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.True(undocumented.Length == 0 && unknown.Length == 0,
            $"docs/en-US/{name}.md: parameters without a '### -Name' section: {Names(undocumented)}; sections for parameters {name} does not have: {Names(unknown)}.");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void PageSyntaxShowsEachParameterSetWithItsParameters(string name)
    {
        CmdletInfo cmdlet = ModuleCommands.Get(_session, name);
        var onPage = Regex.Matches(Section(Page(name), "SYNTAX"), @"(?ms)^### (?<set>.+?)(?: \(Default\))?\s*$\s*```[^\n]*\n(?<syntax>.*?)```")
            .ToDictionary(
                m => m.Groups["set"].Value.Trim(),
                m => string.Join(" ", Regex.Matches(m.Groups["syntax"].Value, @"(?<=[\s\[])-(\w+)").Select(p => p.Groups[1].Value).Order(StringComparer.OrdinalIgnoreCase)));
        Dictionary<string, string> inCode = cmdlet.ParameterSets.ToDictionary(s => s.Name, s => string.Join(" ", ModuleCommands.SetParameterNames(s)));

        Assert.Equal(inCode.Keys.Order(StringComparer.Ordinal), onPage.Keys.Order(StringComparer.Ordinal));
        Assert.All(inCode, set => Assert.True(set.Value == onPage[set.Key],
            $"docs/en-US/{name}.md: the syntax under '### {set.Key}' has {onPage[set.Key]}; the set has {set.Value}."));
    }

    [Fact]
    public void EveryCmdletPageIsAnExportedCmdlet()
    {
        string[] pages = Directory.GetFiles(s_docs, "*.md")
            .Select(f => (File: Path.GetFileNameWithoutExtension(f), Text: File.ReadAllText(f)))
            .Where(p => Regex.IsMatch(p.Text, @"(?m)^document type: cmdlet\s*$"))
            .Select(p => p.File).ToArray();

        Assert.Equal(ModuleCommands.Names.Order(StringComparer.Ordinal), pages.Order(StringComparer.Ordinal));
    }

    private static string Page(string name)
    {
        string path = Path.Combine(s_docs, name + ".md");
        Assert.True(File.Exists(path), $"{name} has no page: docs/en-US/{name}.md.");
        return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The text between a page's "## NAME" heading and the next "##" heading.</summary>
    private static string Section(string page, string heading)
    {
        Match match = Regex.Match(page, $@"(?ms)^## {heading}\s*$(?<body>.*?)(?=^## |\z)");
        Assert.True(match.Success, $"The page has no '## {heading}' section.");
        return match.Groups["body"].Value;
    }

    private static string Names(string[] parameters) => parameters.Length == 0 ? "none" : string.Join(", ", parameters.Select(p => "-" + p));

    public void Dispose() => _session.Dispose();
}
