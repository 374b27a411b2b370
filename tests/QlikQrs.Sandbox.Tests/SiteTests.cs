using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>The site as QRS shows it: nodes, services and their status, registration, failover, certificates, SAML metadata.</summary>
public sealed class SiteTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public SiteTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TheSeededSiteHasACentralAndARimNodeEachWithItsFiveServicesAndTheRimsPrintingServiceDown()
    {
        await using Hosting.SandboxServer server = await FreshSite("seed-certs");
        using var client = new QrsTestClient(server, "INTERNAL", "sa_api");

        JsonArray nodes = (await client.GetJsonAsync("qrs/servernodeconfiguration/full")).AsArray();
        JsonArray statuses = (await client.GetJsonAsync("qrs/servicestatus/full")).AsArray();

        Assert.Equal(new[] { ("Central", true), ("Rim 1", false) }, nodes.Select(n => ((string)n!["name"]!, (bool)n["isCentral"]!)).Order());
        Assert.All(nodes, n => Assert.NotNull(n!["serviceCluster"]!["id"]));
        foreach (string service in new[] { "repositoryservice", "engineservice", "proxyservice", "schedulerservice", "printingservice" })
        {
            JsonArray each = (await client.GetJsonAsync($"qrs/{service}/full")).AsArray();
            Assert.Equal(new[] { "Central", "Rim 1" }, each.Select(s => (string)s!["serverNodeConfiguration"]!["name"]!).Order());
        }

        Assert.Equal(10, statuses.Count);
        var down = Assert.Single(statuses, s => (int)s!["serviceState"]! != 2);
        Assert.Equal(("Rim 1", 5, 3), ((string)down!["serverNodeConfiguration"]!["name"]!, (int)down["serviceType"]!, (int)down["serviceState"]!));
        Assert.Equal(2, (await client.GetJsonAsync("qrs/servernodeheartbeat/count"))["value"]!.GetValue<int>());
    }

    /// <summary>A site of its own, for a test that counts what the site has or changes its central node.</summary>
    private Task<Hosting.SandboxServer> FreshSite(string certificates) =>
        Hosting.SandboxServer.StartAsync(new Hosting.SandboxOptions { CertificatesFolder = Path.Combine(_sandbox.Folder, certificates) });

    [Fact]
    public async Task TheDefaultVirtualProxyIsLinkedToBothProxiesAndTheSamlOneToTheCentralOnly()
    {
        using QrsTestClient client = _sandbox.Client();

        JsonArray proxies = (await client.GetJsonAsync("qrs/proxyservice/full")).AsArray();
        JsonNode defaultProxy = (await client.GetJsonAsync("qrs/virtualproxyconfig/full?" + QrsTestClient.Filter("defaultVirtualProxy eq true"))).AsArray().Single()!;

        Assert.Equal(2, proxies.Count);
        foreach (JsonNode? proxy in proxies)
        {
            string[] prefixes = proxy!["settings"]!["virtualProxies"]!.AsArray().Select(v => (string)v!["prefix"]!).Order().ToArray();
            Assert.Equal((string)proxy["serverNodeConfiguration"]!["name"]! == "Central" ? new[] { string.Empty, "saml" } : new[] { string.Empty }, prefixes);
        }

        Assert.Equal(string.Empty, (string?)defaultProxy["prefix"]);
        Assert.Equal("X-Qlik-Session", (string?)defaultProxy["sessionCookieHeaderName"]);
    }

    [Fact]
    public async Task TheLocalPathsAnswerTheCentralNodeAndItsServices()
    {
        using QrsTestClient client = _sandbox.Client();

        JsonNode node = await client.GetJsonAsync("qrs/servernodeconfiguration/local");
        foreach (string service in new[] { "proxyservice", "engineservice", "schedulerservice", "repositoryservice", "printingservice" })
        {
            JsonNode local = await client.GetJsonAsync($"qrs/{service}/local");
            Assert.Equal((string?)node["id"], (string?)local["serverNodeConfiguration"]!["id"]);
        }

        Assert.True((bool)node["isCentral"]!);
    }

    [Fact]
    public async Task ANewNodeWaitsForItsCertificatesUntilItsRegistrationStartsWithAPasswordNewEachTime()
    {
        using QrsTestClient client = _sandbox.Client();

        JsonNode container = await client.SendJsonAsync(HttpMethod.Post, "qrs/servernodeconfiguration/container",
            new JsonObject { ["configuration"] = new JsonObject { ["name"] = "Rim 7", ["hostName"] = "qlik-rim7", ["engineEnabled"] = true, ["proxyEnabled"] = false, ["schedulerEnabled"] = false, ["printingEnabled"] = false } }, 201);
        string id = (string)container["configuration"]!["id"]!;
        string statusFilter = "qrs/servicestatus/full?" + QrsTestClient.Filter($"serverNodeConfiguration.id eq {id}");
        JsonArray waiting = (await client.GetJsonAsync(statusFilter)).AsArray();
        string first = (string)(await client.GetJsonAsync($"qrs/servernoderegistration/start/{id}"))!;
        string second = (string)(await client.GetJsonAsync($"qrs/servernoderegistration/start/{id}"))!;
        JsonArray running = (await client.GetJsonAsync(statusFilter)).AsArray();

        Assert.NotNull((string?)container["engineServiceID"]);
        Assert.Null(container["proxyServiceID"]);
        Assert.Equal(new[] { 0, 3 }, waiting.Select(s => (int)s!["serviceType"]!).Order());
        Assert.All(waiting, s => Assert.Equal(1, (int)s!["serviceState"]!));
        Assert.All(running, s => Assert.Equal(2, (int)s!["serviceState"]!));
        Assert.Equal(12, first.Length);
        Assert.NotEqual(first, second);
        Assert.False((bool)(await client.GetJsonAsync($"qrs/servernodeconfiguration/{id}"))["isCentral"]!);
    }

    [Fact]
    public async Task FailoverMovesTheCentralRoleOnlyToACandidate()
    {
        await using Hosting.SandboxServer server = await FreshSite("failover-certs");
        using var client = new QrsTestClient(server, "INTERNAL", "sa_api");
        JsonArray nodes = (await client.GetJsonAsync("qrs/servernodeconfiguration")).AsArray();
        string central = (string)nodes.Single(n => (string)n!["name"]! == "Central")!["id"]!;
        string rim = (string)nodes.Single(n => (string)n!["name"]! == "Rim 1")!["id"]!;
        JsonNode notCandidate = await client.SendJsonAsync(HttpMethod.Post, "qrs/servernodeconfiguration/container",
            new JsonObject { ["configuration"] = new JsonObject { ["name"] = "Dev", ["hostName"] = "qlik-dev" } }, 201);

        var (refused, reason) = await client.SendAsync(HttpMethod.Post, $"qrs/failover/tonode/{notCandidate["configuration"]!["id"]}");
        var (moved, _) = await client.SendAsync(HttpMethod.Post, $"qrs/failover/tonode/{rim}");

        Assert.Equal(400, refused);
        Assert.Contains("not a failover candidate", reason, StringComparison.Ordinal);
        Assert.Equal(204, moved);
        Assert.True((bool)(await client.GetJsonAsync($"qrs/servernodeconfiguration/{rim}"))["isCentral"]!);
        Assert.False((bool)(await client.GetJsonAsync($"qrs/servernodeconfiguration/{central}"))["isCentral"]!);
        Assert.Equal(rim, (string?)(await client.GetJsonAsync("qrs/servernodeconfiguration/local"))["id"]);
    }

    [Fact]
    public async Task LoadBalancingNamesTheEnginesOfAnAppAndSaysWhenTheAppIsNotThere()
    {
        using QrsTestClient client = _sandbox.Client();
        string app = (string)(await client.GetJsonAsync("qrs/app")).AsArray()[0]!["id"]!;

        JsonNode found = await client.SendJsonAsync(HttpMethod.Post, "qrs/loadbalancing/validengines", new JsonObject { ["appID"] = app, ["loadBalancingPurpose"] = 0 }, 201);
        JsonNode missing = await client.SendJsonAsync(HttpMethod.Post, "qrs/loadbalancing/validnodes", new JsonObject { ["appID"] = Guid.NewGuid().ToString(), ["loadBalancingPurpose"] = 0 }, 201);

        Assert.Equal(0, (int)found["loadBalancingResultCode"]!);
        Assert.Contains("wss://qlik-rim1:4747", found["validEngines"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(1, (int)missing["loadBalancingResultCode"]!);
        Assert.Empty(missing["hosts"]!.AsArray());
    }

    [Fact]
    public async Task TheCertificateExportWritesAFolderForEachMachineWhereItSays()
    {
        using QrsTestClient client = _sandbox.Client();

        string folder = (string)(await client.SendJsonAsync(HttpMethod.Post, "qrs/certificatedistribution/exportcertificates",
            new JsonObject { ["machineNames"] = new JsonArray("pem-machine"), ["exportFormat"] = 1, ["includeCa"] = true }, 201))!;
        await client.SendJsonAsync(HttpMethod.Post, "qrs/certificatedistribution/exportcertificates",
            new JsonObject { ["machineNames"] = new JsonArray("pfx-machine"), ["certificatePassword"] = "secret" }, 201);
        var (refused, _) = await client.SendAsync(HttpMethod.Post, "qrs/certificatedistribution/exportcertificates", new JsonObject { ["machineNames"] = new JsonArray("../escape") });

        Assert.Equal(folder, (string)(await client.GetJsonAsync("qrs/certificatedistribution/exportcertificatespath"))!);
        Assert.True(File.Exists(Path.Combine(folder, "pem-machine", "client_key.pem")));
        Assert.True(File.Exists(Path.Combine(folder, "pem-machine", "root.pem")));
        Assert.True(File.Exists(Path.Combine(folder, "pfx-machine", "client.pfx")));
        Assert.Equal(400, refused);
    }

    [Fact]
    public async Task SamlMetadataIsMadeForASamlVirtualProxyAndDownloadedOnce()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonArray proxies = (await client.GetJsonAsync("qrs/virtualproxyconfig")).AsArray();
        string saml = (string)proxies.Single(p => (string)p!["prefix"]! == "saml")!["id"]!;
        string ticket = (string)(await client.GetJsonAsync($"qrs/virtualproxyconfig/{saml}/generate/samlmetadata"))!;
        string notSaml = (string)proxies.Single(p => (string)p!["prefix"]! == string.Empty)!["id"]!;

        var (status, xml) = await client.SendAsync(HttpMethod.Get, $"qrs/download/samlmetadata/{ticket}/saml_metadata_sp.xml");
        var (again, _) = await client.SendAsync(HttpMethod.Get, $"qrs/download/samlmetadata/{ticket}/saml_metadata_sp.xml");
        var (refused, reason) = await client.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{notSaml}/generate/samlmetadata");

        Assert.Equal(200, status);
        Assert.Contains("entityID=\"https://localhost/saml\"", xml, StringComparison.Ordinal);
        Assert.Contains("Location=\"https://localhost/saml/samlauthn/\"", xml, StringComparison.Ordinal);
        Assert.Equal(404, again);
        Assert.Equal((400, "The virtual proxy does not use SAML authentication."), (refused, reason));
    }

    [Fact]
    public async Task PrivilegePreviewsAnswerForEveryFamily()
    {
        using QrsTestClient client = _sandbox.Client();

        JsonArray privileges = (await client.SendJsonAsync(HttpMethod.Post, "qrs/virtualproxyconfig/previewprivileges", new JsonObject(), 201)).AsArray();
        bool canCreate = (bool)(await client.SendJsonAsync(HttpMethod.Post, "qrs/app/object/previewcreateprivilege", new JsonObject(), 201))!;
        var (unknown, text) = await client.SendAsync(HttpMethod.Post, "qrs/nosuchfamily/previewprivileges", new JsonObject());

        Assert.Contains("update", privileges.Select(p => (string)p!));
        Assert.True(canCreate);
        Assert.Equal((404, Hosting.QrsApi.NoSuchPathText), (unknown, text));
    }
}
