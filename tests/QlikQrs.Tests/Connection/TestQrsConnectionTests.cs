using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Linq;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

/// <summary>Each common failure, as Test-QrsConnection puts it into words.</summary>
public sealed class TestQrsConnectionTests : IClassFixture<SandboxSession>, IDisposable
{
    private readonly SandboxSession _sandbox;

    public TestQrsConnectionTests(SandboxSession sandbox) => _sandbox = sandbox;

    public void Dispose() => _sandbox.Server.Faults.Clear();

    private PSObject Test(string arguments, params object[] values)
    {
        using var session = new PowerShellSession();
        return session.Run("Test-QrsConnection -ComputerName localhost -CertificatePath $args[0] " + arguments, new object[] { _sandbox.CertificatesFolder }.Concat(values).ToArray())
            .AssertNoErrors().Single();
    }

    [Fact]
    public void AWorkingConnectionSaysSo()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject result = session.Run("Test-QrsConnection").AssertNoErrors().Single();

        Assert.True((bool)result.Properties["Success"].Value);
        Assert.Contains("38.22.0", (string)result.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void TheXsrfCheckFailing()
    {
        _sandbox.Server.Faults.FailNext(1, 403, "/qrs/about", body: QrsRequestChecks.XsrfFailure);
        PSObject result = Test("-Port $args[1] -MaxRetries 0", _sandbox.Server.Port);

        Assert.Equal("QrsForbidden", result.Properties["ErrorId"].Value);
        Assert.Contains("XSRF", (string)result.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void ALoginPageOr401WhereQrsWasExpected()
    {
        using var session = new PowerShellSession();
        PSObject result = session.Run("Test-QrsConnection -ComputerName localhost -Port $args[0] -VirtualProxy hdr -HeaderName X-Wrong -HeaderValue x -TrustedRoot $args[1]",
            _sandbox.Server.ProxyPort!.Value, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors().Single();

        Assert.False((bool)result.Properties["Success"].Value);
        Assert.Equal("QrsUnauthorized", result.Properties["ErrorId"].Value);
        Assert.Contains("authentication mode is wrong", (string)result.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void AVirtualProxyPrefixWhereTheQrsPortHasNone()
    {
        PSObject onSandbox = Test("-Port $args[1] -VirtualProxy hub", _sandbox.Server.Port);
        Assert.Equal("QrsNotFound", onSandbox.Properties["ErrorId"].Value);
        Assert.Contains("which has no virtual proxies", (string)onSandbox.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void NothingListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        PSObject result = Test("-Port $args[1] -MaxRetries 0", port);

        Assert.Equal("QrsConnectionRefused", result.Properties["ErrorId"].Value);
        Assert.Contains("connection refused", (string)result.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void ATimeout()
    {
        _sandbox.Server.Faults.Latency = TimeSpan.FromSeconds(5);
        PSObject result = Test("-Port $args[1] -Timeout 1 -MaxRetries 0", _sandbox.Server.Port);

        Assert.Equal("QrsTimeout", result.Properties["ErrorId"].Value);
        Assert.Contains("did not answer", (string)result.Properties["Diagnosis"].Value);
    }

    [Fact]
    public void ConnectionParametersWithoutAnAuthenticationAreRefused()
    {
        using var session = new PowerShellSession();
        ErrorRecord error = Assert.Single(session.Run("Test-QrsConnection -ComputerName localhost -Port 4242").Errors);

        Assert.Equal("QrsTestParametersIncomplete,QlikQrs.Commands.TestQrsConnectionCommand", error.FullyQualifiedErrorId);
    }
}
