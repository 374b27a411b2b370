using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ConnectQrsServerTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public ConnectQrsServerTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void ConnectsWithAnExportFolderAndReturnsTheConnection()
    {
        using var session = new PowerShellSession();
        PSObject connection = session.Run(
            "Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -PassThru", _sandbox.Server.Port, _sandbox.CertificatesFolder)
            .AssertNoErrors().Single();

        Assert.Equal("QlikQrs.QrsConnection", connection.BaseObject.GetType().FullName);
        Assert.Equal("38.22.0.0", connection.Properties["QrsVersion"].Value);
        Assert.Equal(@"INTERNAL\sa_api", connection.Properties["User"].Value);
        Assert.Equal(_sandbox.Server.Certificates.Root.Thumbprint, connection.Properties["RootThumbprint"].Value);
        Assert.Equal("Certificate", connection.Properties["Authentication"].Value.ToString());
        Assert.Single(session.Run("Get-QrsConnection -Default").AssertNoErrors().Output);
    }

    [Fact]
    public void ConnectsWithAQrsCertificateFromThePipeline()
    {
        using var session = new PowerShellSession();
        session.Run("Import-QrsCertificate -Path $args[1] | Connect-QrsServer -ComputerName localhost -Port $args[0]", _sandbox.Server.Port, _sandbox.CertificatesFolder)
            .AssertNoErrors();

        Assert.Equal("About", session.Run("(Invoke-QrsRequest /qrs/about).schemaPath").AssertNoErrors().Single().BaseObject);
    }

    [Fact]
    public void ConnectsWithAnX509Certificate2AndATrustedRoot()
    {
        using var session = new PowerShellSession();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -Certificate $args[1] -TrustedRoot $args[2]",
            _sandbox.Server.Port, _sandbox.Server.Certificates.Client, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors();
        session.Run("$args[1] | Connect-QrsServer -Name piped -ComputerName localhost -Port $args[0] -TrustedRoot $args[2]",
            _sandbox.Server.Port, _sandbox.Server.Certificates.Client, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors();

        Assert.Equal(2, session.Run("@(Get-QrsConnection).Count").AssertNoErrors().Single().BaseObject);
        Assert.Equal("About", session.Run("(Invoke-QrsRequest /qrs/about).schemaPath").AssertNoErrors().Single().BaseObject);
    }

    [Fact]
    public void AForeignClientCertificateIsRefusedWithTheDiagnosis()
    {
        using QmcCertificateSet other = QmcCertificateSet.Mint("othersite");
        string folder = Path.Combine(_sandbox.Folder, "foreign-client");
        other.WriteTo(folder);
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run(
            "Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -TrustedRoot $args[2]",
            _sandbox.Server.Port, folder, Path.Combine(_sandbox.CertificatesFolder, "root.pem"));
        PSObject test = session.Run(
            "Test-QrsConnection -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -TrustedRoot $args[2]",
            _sandbox.Server.Port, folder, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors().Single();

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsClientCertificateRefused,QlikQrs.Commands.ConnectQrsServerCommand", error.FullyQualifiedErrorId);
        Assert.Contains("probably refused the client certificate 'CN=QlikClient'", error.Exception.Message);
        Assert.False((bool)test.Properties["Success"].Value);
        Assert.Equal("QrsClientCertificateRefused", test.Properties["ErrorId"].Value);
        Assert.Empty(session.Run("Get-QrsConnection").Output);
    }

    [Fact]
    public void AServerCertificateFromAnotherRootIsRefusedUnlessSkippedWithAWarning()
    {
        using QmcCertificateSet other = QmcCertificateSet.Mint("othersite");
        string otherRoot = Path.Combine(_sandbox.Folder, "other-root.pem");
        File.WriteAllText(otherRoot, other.Root.ExportCertificatePem());
        using var session = new PowerShellSession();

        PowerShellResult refused = session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -TrustedRoot $args[2]",
            _sandbox.Server.Port, _sandbox.CertificatesFolder, otherRoot);
        PowerShellResult skipped = session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -TrustedRoot $args[2] -SkipCertificateCheck",
            _sandbox.Server.Port, _sandbox.CertificatesFolder, otherRoot);

        Assert.Equal("QrsServerCertificateUntrusted,QlikQrs.Commands.ConnectQrsServerCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Contains("was not issued by the root", refused.Errors[0].Exception.Message);
        skipped.AssertNoErrors();
        Assert.Contains(skipped.Warnings, w => w.Message.Contains("-SkipCertificateCheck"));
    }

    [Fact]
    public async Task AHostNameNotOnTheServerCertificateIsRefusedAndNamesTheNamesItHolds()
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(_sandbox.Folder, "elsewhere"), HostName = "qlik.example.test", IncludeLoopbackNames = false };
        await using SandboxServer elsewhere = await SandboxServer.StartAsync(options);
        using var session = new PowerShellSession();

        PowerShellResult refused = session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1]", elsewhere.Port, options.CertificatesFolder);
        PowerShellResult skipped = session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -SkipHostnameCheck", elsewhere.Port, options.CertificatesFolder);

        ErrorRecord error = Assert.Single(refused.Errors);
        Assert.Equal("QrsServerNameMismatch,QlikQrs.Commands.ConnectQrsServerCommand", error.FullyQualifiedErrorId);
        Assert.Contains("qlik.example.test", error.Exception.Message);
        skipped.AssertNoErrors();
        Assert.Contains(skipped.Warnings, w => w.Message.Contains("-SkipHostnameCheck"));
    }

    [Fact]
    public void HeaderAuthenticationThroughAVirtualProxy()
    {
        using var session = new PowerShellSession();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -VirtualProxy hdr -HeaderName X-Test-User -HeaderValue jdoe -TrustedRoot $args[1]",
            _sandbox.Server.ProxyPort!.Value, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors();
        PSObject tag = session.Run("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'via header ' + [guid]::NewGuid() }").AssertNoErrors().Single();

        Assert.Equal(@"EXTERNAL\jdoe", tag.Properties["modifiedByUserName"].Value);
    }

    [Fact]
    public void JwtAuthenticationThroughAVirtualProxy()
    {
        string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["userDirectory"] = "CORP", ["userId"] = "jwt.user" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SandboxSession.JwtKey), SecurityAlgorithms.HmacSha256),
        });
        using var session = new PowerShellSession();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -VirtualProxy jwt -Jwt $args[1] -TrustedRoot $args[2]",
            _sandbox.Server.ProxyPort!.Value, token, Path.Combine(_sandbox.CertificatesFolder, "root.pem")).AssertNoErrors();
        PSObject tag = session.Run("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'via jwt ' + [guid]::NewGuid() }").AssertNoErrors().Single();

        Assert.Equal(@"CORP\jwt.user", tag.Properties["modifiedByUserName"].Value);
    }

    [Fact]
    public async Task TwoSitesWithDifferentRootsSideBySide()
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(_sandbox.Folder, "second-site"), HostName = "second" };
        await using SandboxServer second = await SandboxServer.StartAsync(options);
        using var session = new PowerShellSession();
        session.Run("""
            Connect-QrsServer -Name first -ComputerName localhost -Port $args[0] -CertificatePath $args[1]
            Connect-QrsServer -Name second -ComputerName localhost -Port $args[2] -CertificatePath $args[3]
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder, second.Port, options.CertificatesFolder).AssertNoErrors();
        PowerShellResult counts = session.Run("""
            (Invoke-QrsRequest /qrs/app/count -Connection (Get-QrsConnection first)).value
            (Invoke-QrsRequest /qrs/app/count -Connection (Get-QrsConnection second)).value
            (Get-QrsConnection -Default).Name
            """).AssertNoErrors();

        Assert.Equal(_sandbox.Server.Store.Count(_sandbox.Server.Store.Schema.Family("app")!), (int)counts.Output[0].BaseObject);
        Assert.Equal(0, (int)counts.Output[1].BaseObject);
        Assert.Equal("second", counts.Output[2].BaseObject);
        Assert.NotEqual(_sandbox.Server.Certificates.Root.Thumbprint, second.Certificates.Root.Thumbprint);
    }

    [Fact]
    public void DisconnectReleasesTheConnectionAndTheDefaultFallsBack()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            Connect-QrsServer -Name a -ComputerName localhost -Port $args[0] -CertificatePath $args[1]
            Connect-QrsServer -Name b -ComputerName localhost -Port $args[0] -CertificatePath $args[1]
            Disconnect-QrsServer -WhatIf
            (Get-QrsConnection -Default).Name
            Disconnect-QrsServer
            (Get-QrsConnection -Default).Name
            Disconnect-QrsServer -All
            @(Get-QrsConnection).Count
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();

        Assert.Equal(new object[] { "b", "a", 0 }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void OnAQlikNodeTheComputerNameComesFromHostCfg()
    {
        string programData = Path.Combine(_sandbox.Folder, "programdata");
        Directory.CreateDirectory(Path.Combine(programData, "Qlik", "Sense"));
        File.WriteAllText(Path.Combine(programData, "Qlik", "Sense", "Host.cfg"), Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("localhost")));
        string? saved = Environment.GetEnvironmentVariable("ProgramData");
        try
        {
            Environment.SetEnvironmentVariable("ProgramData", programData);
            using var session = new PowerShellSession();
            PSObject connection = session.Run("Connect-QrsServer -Port $args[0] -CertificatePath $args[1] -PassThru", _sandbox.Server.Port, _sandbox.CertificatesFolder)
                .AssertNoErrors().Single();

            Assert.Equal("localhost", connection.Properties["ComputerName"].Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ProgramData", saved);
        }
    }

    [Fact]
    public void WithoutAConnectionCommandsSaySoClearly()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("Invoke-QrsRequest /qrs/about");

        Assert.Equal("QrsNotConnected,QlikQrs.Commands.InvokeQrsRequestCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Contains("Connect-QrsServer", result.Errors[0].Exception.Message);
    }
}
