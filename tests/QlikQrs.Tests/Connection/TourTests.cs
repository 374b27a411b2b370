using System.IO;
using System.Linq;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

public sealed class TourTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public TourTests(SandboxSession sandbox) => _sandbox = sandbox;

    /// <summary>examples/Tour.ps1, which build.ps1 -Task Demo runs, works against the sandbox and cleans up after itself.</summary>
    [Fact]
    public void TheTourRunsAgainstTheSandboxAndLeavesNothingBehind()
    {
        using var session = new PowerShellSession();
        int streamsBefore = _sandbox.Server.Store.Count(_sandbox.Server.Store.Schema.Family("stream")!);
        // The hosted engine has only the core commands; Write-Host stands in for the real one.
        PowerShellResult result = session.Run("""
            function Write-Host { param([Parameter(ValueFromRemainingArguments)] $Object) "$Object" }
            & $args[0] -ComputerName localhost -Port $args[1] -CertificatePath $args[2]
            """, Path.Combine(ModuleLocation.RepoRoot, "examples", "Tour.ps1"), _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        string shown = string.Join("\n", result.Output.Select(o => o.ToString()));

        Assert.Contains("Connected to https://localhost:", shown);
        Assert.Contains("Renamed the stream to", shown);
        Assert.Contains("Streams with the tour's tag: 1", shown);
        Assert.Contains("Deleted the stream and the tag again.", shown);
        Assert.Equal(streamsBefore, _sandbox.Server.Store.Count(_sandbox.Server.Store.Schema.Family("stream")!));
    }
}
