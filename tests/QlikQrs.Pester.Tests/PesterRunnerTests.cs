using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace QlikQrs.Pester.Tests;

/// <summary>The runner itself: each way a suite can go wrong fails the run, and the report says how.</summary>
public sealed class PesterRunnerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("qlikqrs-pester-probe-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_failing_test_is_named_with_its_message()
    {
        PesterRunResult result = PesterRun.Run(Probe("Failing.Tests.ps1", """
            Describe 'Probe' {
                It 'passes' { 1 | Should -Be 1 }
                It 'fails' { 1 | Should -Be 2 -Because 'it is meant to' }
                Context 'Setup' {
                    BeforeAll { throw 'the setup broke' }
                    It 'never runs' { 1 | Should -Be 1 }
                }
            }
            """));

        Assert.False(result.Passed);
        Assert.Contains("Probe.fails: Expected 2, because it is meant to, but got 1.", result.FailedTests);
        Assert.DoesNotContain(result.FailedTests, failure => failure.StartsWith("Probe.passes", StringComparison.Ordinal));
        Assert.Contains(result.FailedBlocks, failure => failure.Contains("the setup broke", StringComparison.Ordinal));
        Assert.Contains("2 of 3 Pester tests failed in Failing.Tests.ps1:", result.Report(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_suite_that_fails_discovery_says_why()
    {
        PesterRunResult result = PesterRun.Run(Probe("Discovery.Tests.ps1", """
            Describe 'Probe' {
                It 'is typed' -ForEach @(@{ Class = [QlikQrs.Model.NotLoadedYet] }) { $Class | Should -Not -BeNullOrEmpty }
            }
            """));

        Assert.False(result.Passed);
        Assert.Contains("Pester found no test in Discovery.Tests.ps1.", result.Report(), StringComparison.Ordinal);
        Assert.Contains(result.FailedBlocks, failure => failure.Contains("Unable to find type [QlikQrs.Model.NotLoadedYet]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sandbox_left_running_is_named_ended_and_fails_the_run()
    {
        // Started without --stop-on-stdin-close, so that it outlives the suite; recorded as Start-QrsSandbox records its own.
        PesterRunResult result = PesterRun.Run(Probe("Leftover.Tests.ps1", $$"""
            BeforeAll { . '{{Path.Combine(BuildOutputs.TestsFolder, "Common.ps1")}}' }
            Describe 'Probe' {
                It 'starts a sandbox and leaves it running' {
                    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
                    $start.Arguments = '"{0}" --port 0 --certs "{1}"' -f (Get-QrsSandboxAssembly), (Join-Path ([System.IO.Path]::GetTempPath()) 'certs')
                    $start.UseShellExecute = $false
                    $start.RedirectStandardOutput = $true
                    $process = [System.Diagnostics.Process]::Start($start)
                    Add-Content -LiteralPath $env:QLIKQRS_SANDBOX_PROCESSES -Value $process.Id
                    do { $line = $process.StandardOutput.ReadLine() } until ($null -eq $line -or $line -match 'listening on')
                    $line | Should -Match 'listening on'
                }
            }
            """));

        Assert.Equal(0, result.ExitCode);
        Assert.False(result.Passed);
        Assert.Single(result.LeftoverProcesses);
        Assert.Contains(result.LeftoverFolders, folder => folder.StartsWith("qlikqrs-sandbox-content-", StringComparison.Ordinal));
        Assert.Contains("Sandbox processes still running after Leftover.Tests.ps1 (now ended)", result.Report(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_local_tool_restored_the_run_says_to_restore_it()
    {
        // An empty home and package folder: what a fresh clone has before `dotnet tool restore`.
        string home = Directory.CreateDirectory(Path.Combine(_folder.FullName, "home")).FullName;
        string packages = Directory.CreateDirectory(Path.Combine(_folder.FullName, "packages")).FullName;
        PesterRunResult result = PesterRun.Run(Probe("Any.Tests.ps1", "Describe 'Probe' { It 'passes' { 1 | Should -Be 1 } }"),
            new Dictionary<string, string> { ["HOME"] = home, ["USERPROFILE"] = home, ["DOTNET_CLI_HOME"] = home, ["NUGET_PACKAGES"] = packages });

        Assert.False(result.Passed);
        Assert.Null(result.ResultXml);
        Assert.Contains("dotnet tool restore", result.Errors, StringComparison.Ordinal);
        Assert.Contains("run `dotnet tool restore` in the repository", result.Report(), StringComparison.Ordinal);
    }

    private string Probe(string name, string script)
    {
        string path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, script);
        return path;
    }
}
