using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

/// <summary>What every cmdlet gets from the kit: timeouts over the whole answer, the site's own URLs only, targets named.</summary>
public sealed class KitTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public KitTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void AStalledBodyEndsWithQrsTimeoutNotAHang()
    {
        using var session = new PowerShellSession();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Timeout 2 -MaxRetries 0", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        _sandbox.Server.Faults.StallBodyNext(1, "/qrs/user/full");
        var clock = Stopwatch.StartNew();

        PowerShellResult result = session.Run("Get-QrsEntity user -Full");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsTimeout,", error.FullyQualifiedErrorId);
        Assert.Contains("stopped sending", error.Exception.Message);
        // The stall lasts until the client gives up: ending at all is the proof; the bound only keeps a hang from passing.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The stalled answer took {clock.Elapsed} to end.");
    }

    [Theory]
    [InlineData("http://other-host/qrs/about")]
    [InlineData("https://localhost:1/qrs/about")]
    [InlineData("//other-host/qrs/about")]
    public void AnotherSitesUrlIsRefusedAndGetsNoIdentity(string url)
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        PowerShellResult result = session.Run("Invoke-QrsRequest $args[0]", url);

        if (url.StartsWith("//", StringComparison.Ordinal))
        {
            // A scheme-relative path stays on the site: it is a path under the connection's base, never another host.
            Assert.All(_sandbox.Server.Requests.Snapshot(), r => Assert.StartsWith("/", r.Path));
            return;
        }

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsForeignUrl,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Empty(_sandbox.Server.Requests.Snapshot());
    }

    [Fact]
    public void TheSitesOwnAbsoluteUrlIsAccepted()
    {
        using PowerShellSession session = _sandbox.Connected();

        session.Run("Invoke-QrsRequest ('https://localhost:{0}/qrs/about' -f $args[0])", _sandbox.Server.Port).AssertNoErrors().Single();
    }

    [Fact]
    public void ConfirmationNamesANewEntityFromAHashtable()
    {
        using PowerShellSession session = _sandbox.Connected();

        // The hosted engine has no host to ask: the refused prompt's text shows what -Confirm would have named.
        PowerShellResult result = session.Run("New-QrsEntity tag @{ name = 'Named in the prompt' } -Confirm");

        Assert.Contains("Tag 'Named in the prompt'", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void ACondensedEntityIsSavedOverAFreshFullCopyWithoutAFalseConflict()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "Condensed " + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $null = New-QrsEntity tag @{ name = $args[0] }
            $condensed = Get-QrsEntity tag -Name $args[0]
            $condensed.GetType().Name
            $condensed.Name = $args[0] + ' renamed'
            $condensed | Set-QrsEntity -PassThru | ForEach-Object Name
            Get-QrsEntity tag -Name ($args[0] + ' renamed') | Set-QrsEntity -Property @{ name = $args[0] + ' again' } -PassThru | ForEach-Object Name
            """, name).AssertNoErrors();

        Assert.Equal(new object[] { "TagCondensed", name + " renamed", name + " again" }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void AStreamPipedToGetQrsEntityAppIsNotTakenForAnAppId()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult result = session.Run("@(Get-QrsEntity stream)[0] | Get-QrsEntity app");

        Assert.Empty(result.Output);
        Assert.StartsWith("QrsWrongEntityType,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void OutputTypesNameTheRealTypesPerParameterSet()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            (Get-Command Get-QrsEntity).OutputType | ForEach-Object { $_.Name }
            (Get-Command Get-QrsApp).OutputType | ForEach-Object { $_.Name }
            """).AssertNoErrors();

        string[] names = result.Output.Select(o => o.ToString()).ToArray();
        Assert.Contains("QlikQrs.Model.QrsEntity", names);
        Assert.Contains("System.Int64", names);
        Assert.Contains("QlikQrs.Model.App", names);
    }

    [Fact]
    public void ErrorsNameTheEntityAndKeepTheTraceOutOfTheAdvice()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "Gone " + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $tag = New-QrsEntity tag @{ name = $args[0] }
            $tag | Remove-QrsEntity -Confirm:$false
            $tag | Remove-QrsEntity -Confirm:$false
            """, name);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(name, ((dynamic)error.TargetObject).Name);
        Assert.DoesNotContain("DELETE", error.ErrorDetails.RecommendedAction);
        Assert.Contains("DELETE", (string)((dynamic)error.Exception).Trace);
    }

    [Fact]
    public void ABrokenAnswerToAChangeSaysTheChangeMayHaveBeenApplied()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.ResetConnectionNext(1, "/qrs/tag");

        PowerShellResult result = session.Run("New-QrsEntity tag @{ name = 'Broken ' + [guid]::NewGuid() }");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsResponseIncomplete,", error.FullyQualifiedErrorId);
        Assert.Contains("may have been applied", error.Exception.Message);
        Assert.Contains("before you run the command again", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void AnEntityNestedInAnotherCarriesItsConnectionToo()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $a = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name a -PassThru
            $b = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name b -PassThru
            $app = @(Get-QrsApp -Connection $a | Where-Object Published)[0]
            $app.Stream | Get-QrsStream | ForEach-Object Name
            $app.Stream | Get-QrsStream -Connection $b
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder);

        Assert.NotNull(Assert.Single(result.Output).BaseObject);
        Assert.StartsWith("QrsConnectionMismatch,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
