using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace QlikQrs.Pester.Tests;

/// <summary>
/// The GitHub workflow cannot run here, so its shape is checked: valid YAML, a Windows job that builds with the SDK
/// of global.json and runs the Pester suites in Windows PowerShell 5.1 and in PowerShell 7, and a Linux job that runs
/// .ci/run.
/// </summary>
public sealed class CiWorkflowTests
{
    private static readonly YamlMappingNode Jobs = (YamlMappingNode)Workflow()["jobs"];

    [Fact]
    public void The_windows_job_builds_with_the_sdk_of_global_json()
    {
        YamlMappingNode windows = Job("windows-latest");
        Assert.Contains(Steps(windows), step => Text(step, "uses").StartsWith("actions/setup-dotnet@")
            && step.Children.TryGetValue("with", out YamlNode? with) && Text((YamlMappingNode)with, "global-json-file") == "global.json");
        Assert.Contains(Steps(windows), step => Text(step, "run").Contains("dotnet build"));
    }

    [Fact]
    public void The_windows_job_shows_windows_powershell_and_the_framework_release()
    {
        Assert.Contains(Steps(Job("windows-latest")), step => Text(step, "shell") == "powershell"
            && Text(step, "run").Contains("$PSVersionTable") && Text(step, "run").Contains(@"NDP\v4\Full"));
    }

    [Theory]
    [InlineData("powershell")]
    [InlineData("pwsh")]
    public void The_windows_job_runs_every_pester_suite_in(string shell)
    {
        Assert.Contains(Steps(Job("windows-latest")), step => Text(step, "shell") == shell
            && Text(step, "run").Contains("Invoke-PesterSuite.ps1 -Path ./tests") && Text(step, "run").Contains("-getProperty:PesterModule"));
    }

    [Fact]
    public void The_linux_job_runs_ci_run()
    {
        Assert.Contains(Steps(Job("ubuntu-latest")), step => Text(step, "run") == "./.ci/run");
    }

    private static YamlMappingNode Workflow()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(BuildOutputs.RepoRoot, ".github", "workflows", "ci.yml"));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Job(string runner) =>
        Assert.Single(Jobs.Children.Values.Cast<YamlMappingNode>(), job => Text(job, "runs-on") == runner);

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>();

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out YamlNode? value) && value is YamlScalarNode scalar ? scalar.Value?.Trim() ?? string.Empty : string.Empty;
}
