using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Tagging;

/// <summary>A site of a thousand apps and more: tagged and given values through the pipeline, and removed by filter in one call.</summary>
public sealed class BulkTaggingTests : IClassFixture<BulkTaggingTests.LargeSite>
{
    private readonly LargeSite _site;

    public BulkTaggingTests(LargeSite site) => _site = site;

    [Fact]
    public void AThousandAppsAreTaggedAndGivenACustomPropertyValueThroughThePipelineEightAtATime()
    {
        using PowerShellSession session = _site.Connected();

        PowerShellResult result = session.Run(
            "Get-QrsApp -Filter \"name so 'dashboard'\" | Add-QrsTag 'Audit 2026' -Force -ThrottleLimit 8 -PassThru | Set-QrsCustomProperty Department Finance -Append -ThrottleLimit 8 -PassThru").AssertNoErrors();

        Assert.Equal(1000, result.Output.Count);
        Assert.Equal(1000, result.Output.Select(a => (Guid)a.Properties["Id"].Value).Distinct().Count());
        Assert.Equal(1000L, session.Run("Get-QrsEntity -Type App -Filter \"tags.name eq 'Audit 2026'\" -Count").Single().BaseObject);
        Assert.Equal(1000L, session.Run("Get-QrsEntity -Type App -Filter \"customProperties.definition.name eq 'Department' and customProperties.value eq 'Finance'\" -Count").Single().BaseObject);
        Assert.Equal(1L, session.Run("Get-QrsEntity -Type Tag -Where @{ name = 'Audit 2026' } -Count").Single().BaseObject);
    }

    [Fact]
    public void RemoveQrsAppFilterRemovesThousandsWithOneDeleteNamesTheCountAndRemovesItsSelection()
    {
        EntityFamily apps = _site.Server.Store.Schema.Family("app")!;
        _site.Server.Store.CreateMany(apps, Enumerable.Range(1, 1234).Select(i => new JsonObject { ["name"] = $"Test {i:D4}" }).ToArray(), new QrsUser("INTERNAL", "sa_api"));
        int others = _site.Server.Store.Count(apps) - 1234;
        using PowerShellSession session = _site.Connected();
        _site.Server.Requests.Clear();

        session.Run("Remove-QrsApp -Filter \"name sw 'Test'\" -WhatIf").AssertNoErrors();
        Assert.DoesNotContain(_site.Server.Requests.Snapshot(), r => r.Method is "DELETE" or "POST" or "PUT");

        PowerShellResult removed = session.Run("Remove-QrsApp -Filter \"name sw 'Test'\" -Confirm:$false -Verbose").AssertNoErrors();

        Assert.Contains(removed.Verbose, v => v.Message.Contains("on target \"1,234 apps matching name sw 'Test'\"", StringComparison.Ordinal));
        ObservedRequest[] deletes = _site.Server.Requests.Snapshot().Where(r => r.Method == "DELETE").ToArray();
        Assert.Equal(2, deletes.Length);
        Assert.Matches("^/qrs/selection/[0-9a-f-]{36}/app$", deletes[0].Path);
        Assert.Equal(deletes[0].Path[..^"/app".Length], deletes[1].Path);
        Assert.Equal(others, _site.Server.Store.Count(apps));
        Assert.Equal(0, _site.Server.Store.Count(_site.Server.Store.Schema.Family("selection")!));
    }

    [Fact]
    public void RemoveQrsEntityAndTheTypedRemovesTakeAFilterAndRemoveNothingWhenNothingMatches()
    {
        using PowerShellSession session = _site.Connected();
        session.Run("1..30 | ForEach-Object { @{ name = \"Scratch $_\" } } | New-QrsEntity tag -Many | Out-Null; New-QrsStream 'Scratch stream' | Out-Null").AssertNoErrors();
        _site.Server.Requests.Clear();

        session.Run("Remove-QrsEntity -Type tag -Filter \"name sw 'Scratch '\" -Confirm:$false").AssertNoErrors();
        session.Run("Remove-QrsStream -Filter \"name eq 'Scratch stream'\" -Confirm:$false").AssertNoErrors();
        session.Run("Remove-QrsTask -Filter \"name eq 'No such task'\" -Confirm:$false").AssertNoErrors();
        PowerShellResult bad = session.Run("Remove-QrsApp -Filter \"name sw\" -Confirm:$false");
        PowerShellResult blank = session.Run("Remove-QrsApp -Filter '   ' -Confirm:$false");

        Assert.Equal(0L, session.Run("Get-QrsEntity -Type Tag -Filter \"name sw 'Scratch '\" -Count").Single().BaseObject);
        Assert.Equal(0L, session.Run("Get-QrsEntity -Type Stream -Where @{ name = 'Scratch stream' } -Count").Single().BaseObject);
        Assert.Equal(
            new[] { "/qrs/selection/{id}/tag", "/qrs/selection/{id}", "/qrs/selection/{id}/stream", "/qrs/selection/{id}" },
            _site.Server.Requests.Snapshot().Where(r => r.Method == "DELETE").Select(r => System.Text.RegularExpressions.Regex.Replace(r.Path, "[0-9a-f-]{36}", "{id}")));
        Assert.Equal("QrsBadRequest", Assert.Single(bad.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("QrsInvalidFilter", Assert.Single(blank.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.True(_site.Server.Store.Count(_site.Server.Store.Schema.Family("app")!) >= 1000);
    }

    /// <summary>A sandbox of its own with a thousand seeded apps.</summary>
    public sealed class LargeSite : IAsyncLifetime
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("qlikqrs-bulk-").FullName;

        public SandboxServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = Path.Combine(_folder, "certs") });
            SandboxSeeder.Seed(Server.Store, new SeedSpec(Users: 20, Apps: 1000, Streams: 3, Tags: 5));
        }

        public PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1]", Server.Port, Server.CertificatesFolder).AssertNoErrors();
            return session;
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
