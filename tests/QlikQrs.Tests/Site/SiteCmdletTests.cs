using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Site;

/// <summary>The site's nodes, services, virtual proxies and certificates as an administrator sees them at the prompt.</summary>
public sealed class SiteCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public SiteCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    private static T Value<T>(PSObject item, string property) => (T)LanguagePrimitives.ConvertTo(item.Properties[property].Value, typeof(T));

    [Fact]
    public void GetQrsAboutShowsTheBuildAndThatTheNodeIsCentral()
    {
        using PowerShellSession session = _sandbox.Connected();

        PSObject about = session.Run("Get-QrsAbout").AssertNoErrors().Single();

        Assert.Equal("38.22.0.0", Value<string>(about, "BuildVersion"));
        Assert.Equal("Central", about.Properties["NodeType"].Value.ToString());
    }

    [Fact]
    public void GetQrsNodeFindsNodesByNameTheCentralOneAndTheLocalOne()
    {
        using PowerShellSession session = _sandbox.Connected();

        string[] all = session.Run("(Get-QrsNode).Name").AssertNoErrors().Output.Select(o => (string)o.BaseObject).ToArray();
        PSObject central = session.Run("Get-QrsNode -Central").AssertNoErrors().Single();
        PSObject local = session.Run("Get-QrsNode -Local").AssertNoErrors().Single();
        PSObject rim = session.Run("Get-QrsNode 'r?m 1'").AssertNoErrors().Single();
        PowerShellResult missing = session.Run("Get-QrsNode 'No such node'");

        Assert.Contains("Central", all);
        Assert.Contains("Rim 1", all);
        Assert.Equal("Central", Value<string>(central, "Name"));
        Assert.Equal(Value<Guid>(central, "Id"), Value<Guid>(local, "Id"));
        Assert.Equal("qlik-rim1", Value<string>(rim, "HostName"));
        Assert.StartsWith("QrsNodeNotFound,", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void GetQrsServiceStatusShowsEachServiceOfEachNodeByNameWithTheHeartbeatAndWhatIsDown()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult all = session.Run("Get-QrsServiceStatus").AssertNoErrors();
        PSObject down = session.Run("Get-QrsServiceStatus -Status NoCommunication").AssertNoErrors().Single();
        PowerShellResult rimEngine = session.Run("Get-QrsNode 'Rim 1' | Get-QrsServiceStatus -Service Engine").AssertNoErrors();

        Assert.True(all.Output.Count >= 10);
        Assert.All(all.Output, s => Assert.NotNull(s.Properties["LastHeartbeat"].Value));
        Assert.Equal(("Rim 1", "Printing", "NoCommunication"), (Value<string>(down, "Node"), down.Properties["Service"].Value.ToString(), down.Properties["Status"].Value.ToString()));
        Assert.Equal(("Rim 1", "Engine", "Running"), (Value<string>(rimEngine.Single(), "Node"), rimEngine.Single().Properties["Service"].Value.ToString(), rimEngine.Single().Properties["Status"].Value.ToString()));
        Assert.Equal(new[] { "Central", "Rim 1" }, all.Output.Select(s => Value<string>(s, "Node")).Distinct().Take(2));
    }

    [Fact]
    public void RegisterQrsNodeAddsTheNodeWithItsServicesAndShowsTheRegistrationPasswordOnce()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "Rim " + Guid.NewGuid().ToString("N")[..6];

        PSObject registration = session.Run("Register-QrsNode -HostName $args[0] -Name $args[0] -Service Engine, Proxy -FailoverCandidate", name).AssertNoErrors().Single();
        PowerShellResult services = session.Run("Get-QrsServiceStatus -Node $args[0]", name).AssertNoErrors();
        PSObject again = session.Run("Register-QrsNode -Node $args[0] -Confirm:$false", name).AssertNoErrors().Single();
        PowerShellResult whatIf = session.Run("Register-QrsNode -HostName whatif-node -WhatIf").AssertNoErrors();

        Assert.Equal(12, Value<string>(registration, "Password").Length);
        Assert.NotEqual(Value<string>(registration, "Password"), Value<string>(again, "Password"));
        Assert.True(Value<bool>(PSObject.AsPSObject(registration.Properties["Configuration"].Value), "FailoverCandidate"));
        Assert.Equal(new[] { "Engine", "Proxy", "Repository" }, services.Output.Select(s => s.Properties["Service"].Value.ToString()!).Order());
        Assert.All(services.Output, s => Assert.Equal("Running", s.Properties["Status"].Value.ToString()));
        Assert.Empty(whatIf.Output);
        Assert.Empty(session.Run("Get-QrsNode -Filter \"hostName eq 'whatif-node'\"").AssertNoErrors().Output);
    }

    [Fact]
    public void VirtualProxiesAreFoundByPrefixCreatedChangedAndLinkedToProxyServices()
    {
        using PowerShellSession session = _sandbox.Connected();
        string prefix = "p" + Guid.NewGuid().ToString("N")[..8];

        PSObject created = session.Run("New-QrsVirtualProxy -Prefix $args[0] -Description 'Partners' -HeaderName X-Partner -HeaderUserDirectory PARTNERS -ProxyService Central -LoadBalancingNode Central", prefix).AssertNoErrors().Single();
        PSObject found = session.Run("Get-QrsVirtualProxy -Prefix $args[0]", prefix).AssertNoErrors().Single();
        PSObject changed = session.Run("Set-QrsVirtualProxy $args[0] -SessionInactivityTimeout 90 -Description 'Partner portal' -PassThru", prefix).AssertNoErrors().Single();
        string[] CentralPrefixes() => session.Run("(Get-QrsEntity -Type ProxyService -Full -Filter \"serverNodeConfiguration.name eq 'Central'\").Settings.VirtualProxies.Prefix").AssertNoErrors().Output.Select(o => (string)o.BaseObject).ToArray();
        string[] RimPrefixes() => session.Run("(Get-QrsEntity -Type ProxyService -Full -Filter \"serverNodeConfiguration.name eq 'Rim 1'\").Settings.VirtualProxies.Prefix").AssertNoErrors().Output.Select(o => (string)o.BaseObject).ToArray();

        Assert.Equal(("HeaderStaticUserDirectory", "X-Qlik-Session-" + prefix, 30), (created.Properties["AuthenticationMethod"].Value.ToString(), Value<string>(created, "SessionCookieHeaderName"), Value<int>(created, "SessionInactivityTimeout")));
        Assert.Equal(Value<Guid>(created, "Id"), Value<Guid>(found, "Id"));
        Assert.Equal((90, "Partner portal", "X-Partner"), (Value<int>(changed, "SessionInactivityTimeout"), Value<string>(changed, "Description"), Value<string>(changed, "HeaderAuthenticationHeaderName")));
        Assert.Contains(prefix, CentralPrefixes());
        Assert.DoesNotContain(prefix, RimPrefixes());

        session.Run("Get-QrsVirtualProxy -Prefix $args[0] | Add-QrsProxyVirtualProxy -ProxyService 'Rim*'", prefix).AssertNoErrors();
        session.Run("Add-QrsProxyVirtualProxy -ProxyService 'Rim 1' -VirtualProxy $args[0]", prefix).AssertNoErrors();
        Assert.Single(RimPrefixes(), p => p == prefix);

        session.Run("Remove-QrsProxyVirtualProxy -ProxyService * -VirtualProxy $args[0] -Confirm:$false", prefix).AssertNoErrors();
        Assert.DoesNotContain(prefix, CentralPrefixes().Concat(RimPrefixes()));
        Assert.Single(session.Run("Get-QrsVirtualProxy -Prefix $args[0]", prefix).AssertNoErrors().Output);
    }

    [Fact]
    public void NotFoundNothingToChangeAndWhatIfOnVirtualProxies()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult missing = session.Run("Get-QrsVirtualProxy -Prefix 'no-such-prefix'");
        PowerShellResult nothing = session.Run("Set-QrsVirtualProxy saml");
        PowerShellResult whatIf = session.Run("Set-QrsVirtualProxy saml -Description 'changed' -WhatIf; (Get-QrsVirtualProxy saml).Description").AssertNoErrors();

        Assert.StartsWith("QrsVirtualProxyNotFound,", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.StartsWith("QrsNothingToChange,", Assert.Single(nothing.Errors).FullyQualifiedErrorId);
        Assert.Equal("SAML for the partner portal", (string)whatIf.Single().BaseObject);
    }

    [Fact]
    public void ExportQrsSamlMetadataWritesTheFileOfTheSamlVirtualProxyAndRefusesAnotherKind()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var folder = new TempFolder("qlikqrs-saml-");

        FileInfo file = (FileInfo)session.Run("Export-QrsSamlMetadata -VirtualProxy saml -Path $args[0]", folder.Path + Path.DirectorySeparatorChar).AssertNoErrors().Single().BaseObject;
        PowerShellResult again = session.Run("Export-QrsSamlMetadata -VirtualProxy saml -Path $args[0]", folder.Path);
        PowerShellResult notSaml = session.Run("Get-QrsVirtualProxy -Filter 'defaultVirtualProxy eq true' | Export-QrsSamlMetadata -Path $args[0]", Path.Combine(folder.Path, "default.xml"));

        Assert.Equal("saml_metadata_sp.xml", file.Name);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:metadata", File.ReadAllText(file.FullName), StringComparison.Ordinal);
        Assert.StartsWith("QrsExportPathInvalid,", Assert.Single(again.Errors).FullyQualifiedErrorId);
        Assert.Contains("does not use SAML", Assert.Single(notSaml.Errors).ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "default.xml")));
    }

    [Fact]
    public void ExportQrsCertificateSaysWhereQrsWroteEachMachinesCertificates()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult exports = session.Run("""
            $password = [System.Security.SecureString]::new()
            'k3y-pass'.ToCharArray() | ForEach-Object { $password.AppendChar($_) }
            Export-QrsCertificate -MachineName automation01, automation02 -Format Pem -IncludeCa -Password $password
            """).AssertNoErrors();

        Assert.Equal(new[] { "automation01", "automation02" }, exports.Output.Select(e => Value<string>(e, "MachineName")));
        Assert.All(exports.Output, e =>
        {
            string path = Value<string>(e, "Path");
            Assert.EndsWith(Value<string>(e, "MachineName"), path, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(path, "client.pem")), $"{path} holds no client.pem.");
            Assert.True(Value<bool>(e, "PasswordProtected"));
        });
        Assert.DoesNotContain(exports.Output, e => e.ToString()!.Contains("k3y-pass", StringComparison.Ordinal));
    }
}

/// <summary>Moving the central node's role: a sandbox of its own, since the move changes what the others see.</summary>
public sealed class CentralNodeTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public CentralNodeTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void SetQrsCentralNodeMovesTheRoleToACandidateAndRefusesAnotherNode()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("$null = Register-QrsNode -HostName qlik-dev -Name Dev").AssertNoErrors();

        PowerShellResult whatIf = session.Run("Set-QrsCentralNode 'Rim 1' -WhatIf; (Get-QrsNode -Central).Name").AssertNoErrors();
        PowerShellResult refused = session.Run("Set-QrsCentralNode Dev -Confirm:$false");
        PSObject moved = session.Run("Set-QrsCentralNode 'Rim 1' -Confirm:$false -PassThru").AssertNoErrors().Single();

        Assert.Equal("Central", (string)whatIf.Single().BaseObject);
        Assert.Contains("not a failover candidate", Assert.Single(refused.Errors).ToString(), StringComparison.Ordinal);
        Assert.True((bool)moved.Properties["IsCentral"].Value);
        Assert.Equal("Rim 1", (string)session.Run("(Get-QrsNode -Central).Name").AssertNoErrors().Single().BaseObject);
    }
}
