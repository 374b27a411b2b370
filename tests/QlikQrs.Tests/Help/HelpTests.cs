using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Help;

/// <summary>
/// Get-Help as a user sees it for every exported cmdlet of the staged module: the MAML the build wrote, checked
/// against the compiled cmdlets. Without help, Get-Help makes a page of its own from the syntax; these tests fail then.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private readonly PowerShellSession _session = new();

    public static IEnumerable<object[]> Cmdlets => ModuleCommands.Cmdlets;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void SynopsisIsProseNotTheSyntax(string name)
    {
        CommandHelp help = CommandHelp.Read(_session, name);

        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis), $"{name} has no synopsis.");
        Assert.DoesNotContain("<CommonParameters>", help.Synopsis, StringComparison.Ordinal);
        Assert.False(help.Synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase), $"{name}'s synopsis is its syntax: {help.Synopsis}");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasADescription(string name)
    {
        Assert.False(string.IsNullOrWhiteSpace(CommandHelp.Read(_session, name).Description), $"{name} has no description.");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasTwoExamplesOrMoreEachWithCodeAndAnExplanation(string name)
    {
        CommandHelp help = CommandHelp.Read(_session, name);

        Assert.True(help.Examples.Count >= 2, $"{name} has {help.Examples.Count} examples; it needs two at least.");
        Assert.All(help.Examples, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Code), $"{name}, '{e.Title}': no code.");
            Assert.True(e.Remarks.Any(r => !r.StartsWith(ModuleCommands.NeedsARealSite, StringComparison.Ordinal)),
                $"{name}, '{e.Title}': no sentence says what the example does.");
        });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasARunnableExampleAndSaysWhyTheOthersNeedARealSite(string name)
    {
        CommandHelp help = CommandHelp.Read(_session, name);

        Assert.True(help.Examples.Any(e => !e.NeedsARealSite), $"{name}: every example is marked '{ModuleCommands.NeedsARealSite}'; one at least must run against the sandbox.");
        Assert.All(help.Examples.Where(e => e.NeedsARealSite), e =>
            Assert.True(e.Remarks.Last().Length > ModuleCommands.NeedsARealSite.Length + 3 && e.Remarks.Last().StartsWith(ModuleCommands.NeedsARealSite, StringComparison.Ordinal),
                $"{name}, '{e.Title}': '{ModuleCommands.NeedsARealSite}' must be the last paragraph and give the reason."));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void DescribesExactlyTheCmdletsParameters(string name)
    {
        CmdletInfo cmdlet = ModuleCommands.Get(_session, name);
        CommandHelp help = CommandHelp.Read(_session, name);
        string[] inCode = ModuleCommands.ParameterNames(cmdlet);
        string[] inHelp = help.Parameters.Select(p => p.Name).ToArray();

        string[] undocumented = inCode.Except(inHelp, StringComparer.OrdinalIgnoreCase).ToArray();
        string[] unknown = inHelp.Except(inCode, StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.True(undocumented.Length == 0 && unknown.Length == 0,
            $"{name}: not in its help: {Names(undocumented)}; in its help but not in the cmdlet: {Names(unknown)}.");
        Assert.All(help.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{name} -{p.Name} has no description."));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void SyntaxIsTheCmdletsOwn(string name)
    {
        CmdletInfo cmdlet = ModuleCommands.Get(_session, name);
        string[] fromCode = cmdlet.ParameterSets.Select(s => string.Join(" ", ModuleCommands.SetParameterNames(s))).Order(StringComparer.Ordinal).ToArray();
        string[] inHelp = CommandHelp.Read(_session, name).SyntaxSets.Select(s => string.Join(" ", s)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(fromCode, inHelp);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void InputsNameWhatTheCmdletTakesFromThePipeline(string name)
    {
        CmdletInfo cmdlet = ModuleCommands.Get(_session, name);
        CommandHelp help = CommandHelp.Read(_session, name);

        Assert.Equal(ModuleCommands.InputTypeNames(cmdlet), help.Inputs.Select(i => i.Type).Order(StringComparer.Ordinal));
        Assert.All(help.Inputs, i => Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{name}: INPUTS {i.Type} has no description."));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void OutputsNameTheTypesTheCmdletDeclares(string name)
    {
        CmdletInfo cmdlet = ModuleCommands.Get(_session, name);
        CommandHelp help = CommandHelp.Read(_session, name);

        Assert.Equal(ModuleCommands.OutputTypeNames(cmdlet), help.Outputs.Select(o => o.Type).Order(StringComparer.Ordinal));
        Assert.All(help.Outputs, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{name}: OUTPUTS {o.Type} has no description."));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HoldsNoTextLeftToFillIn(string name)
    {
        CommandHelp help = CommandHelp.Read(_session, name);
        IEnumerable<string> texts = new[] { help.Synopsis, help.Description }
            .Concat(help.Examples.SelectMany(e => e.Remarks.Append(e.Title).Append(e.Code)))
            .Concat(help.Parameters.Select(p => p.Description))
            .Concat(help.Inputs.Concat(help.Outputs).Select(t => t.Description));

        Assert.DoesNotContain(texts, t => t.Contains("{{", StringComparison.Ordinal));
    }

    [Fact]
    public void AboutTopicIsFoundAndIsPlainText()
    {
        PSObject topic = _session.Run("Get-Help -Name about_QlikQrs").AssertNoErrors().Single();
        string text = (string)topic.BaseObject;

        Assert.Equal("HelpFile", topic.Properties["Category"].Value?.ToString());
        Assert.StartsWith("QlikQrs manages Qlik Sense", (string)topic.Properties["Synopsis"].Value);
        Assert.Contains("LONG DESCRIPTION", text, StringComparison.Ordinal);
        Assert.Contains(ModuleCommands.NeedsARealSite, text, StringComparison.Ordinal);
        Assert.DoesNotContain("```", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^#", text);
    }

    [Fact]
    public void StagedModuleCarriesItsHelpAndLicence()
    {
        string helpFolder = Path.Combine(ModuleLocation.ModuleBase, "en-US");

        Assert.Equal(File.ReadAllText(Path.Combine(ModuleLocation.RepoRoot, "LICENSE")), File.ReadAllText(Path.Combine(ModuleLocation.ModuleBase, "LICENSE")));
        Assert.Equal(new[] { "QlikQrs.dll-Help.xml", "about_QlikQrs.help.txt" }, Directory.GetFiles(helpFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Get-Help records in the cmdlet where it found the help: the module's own en-US folder.
        _session.Run("$null = Get-Help -Name Get-QrsEntity").AssertNoErrors();
        Assert.Equal(Path.Combine(helpFolder, "QlikQrs.dll-Help.xml"), ModuleCommands.Get(_session, "Get-QrsEntity").HelpFile);
    }

    private static string Names(string[] parameters) => parameters.Length == 0 ? "none" : string.Join(", ", parameters.Select(p => "-" + p));

    public void Dispose() => _session.Dispose();
}
