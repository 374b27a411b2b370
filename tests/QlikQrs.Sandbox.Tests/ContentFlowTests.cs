using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class ContentFlowTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ContentFlowTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task ASelectionListsCountsAndDeletesWhatItSelected()
    {
        using QrsTestClient client = _sandbox.Client();
        string prefix = "sel-" + Guid.NewGuid().ToString("N");
        foreach (int i in Enumerable.Range(0, 3))
        {
            await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = $"{prefix}-{i}" }, 201);
        }

        var selection = await client.SendJsonAsync(HttpMethod.Post, "qrs/selection/tag?" + QrsTestClient.Filter($"name sw '{prefix}'"), new JsonObject(), 201);
        string id = (string)selection["id"]!;

        Assert.Equal(3, selection["items"]!.AsArray().Count);
        Assert.Equal(3, (int)(await client.GetJsonAsync($"qrs/selection/{id}/tag/count"))["value"]!);
        Assert.Equal(3, (await client.GetJsonAsync($"qrs/selection/{id}/tag/full")).AsArray().Count);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/selection/{id}/tag")).Status);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/tag/count?" + QrsTestClient.Filter($"name sw '{prefix}'")))["value"]!);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/selection/{id}")).Status);
    }

    [Fact]
    public async Task UploadsAFileToAContentLibrary()
    {
        using QrsTestClient client = _sandbox.Client();
        string library = "Library " + Guid.NewGuid().ToString("N")[..6];
        var whitelist = (await client.GetJsonAsync("qrs/fileextensionwhitelist/full?" + QrsTestClient.Filter("libraryType eq ContentLibrary"))).AsArray().Single()!;
        await client.SendJsonAsync(HttpMethod.Post, "qrs/contentlibrary", new JsonObject { ["name"] = library, ["whiteList"] = new JsonObject { ["id"] = (string)whitelist["id"]! } }, 201);

        async Task<int> Upload(bool overwrite)
        {
            using HttpRequestMessage request = client.Request(HttpMethod.Post, $"qrs/contentlibrary/{Uri.EscapeDataString(library)}/uploadfile?externalpath=logo.png&overwrite={overwrite.ToString().ToLowerInvariant()}");
            request.Content = new ByteArrayContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using HttpResponseMessage response = await client.Http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(201, await Upload(false));
        Assert.Equal(409, await Upload(false));
        Assert.Equal(201, await Upload(true));
        var saved = (await client.GetJsonAsync("qrs/contentlibrary/full?" + QrsTestClient.Filter($"name eq '{library}'"))).AsArray().Single()!;
        Assert.Single(saved["references"]!.AsArray());
    }

    [Fact]
    public async Task UploadsAnExtensionZip()
    {
        using QrsTestClient client = _sandbox.Client();
        string name = "ext" + Guid.NewGuid().ToString("N")[..6];
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string file in new[] { $"{name}.qext", $"{name}.js" })
            {
                using var writer = new StreamWriter(archive.CreateEntry(file).Open(), Encoding.UTF8);
                writer.Write("{}");
            }
        }

        using HttpRequestMessage request = client.Request(HttpMethod.Post, "qrs/extension/upload");
        request.Content = new ByteArrayContent(zip.ToArray());
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, text);
        JsonNode created = JsonNode.Parse(text)!;

        Assert.Equal(name, (string?)created[0]!["name"]);
        Assert.Equal(2, created[0]!["references"]!.AsArray().Count);
    }

    [Fact]
    public async Task StatePersistsAcrossARestartWithData()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-data-").FullName;
        try
        {
            var options = new SandboxOptions { CertificatesFolder = Path.Combine(folder, "certs"), DataFolder = Path.Combine(folder, "data") };
            string tagId;
            await using (SandboxServer first = await SandboxServer.StartAsync(options))
            {
                using var client = new QrsTestClient(first, "INTERNAL", "sa_api");
                tagId = (string)(await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "kept" }, 201))["id"]!;
            }

            await using SandboxServer second = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = Path.Combine(folder, "certs"), DataFolder = Path.Combine(folder, "data") });
            using var again = new QrsTestClient(second, "INTERNAL", "sa_api");
            Assert.Equal("kept", (string?)(await again.GetJsonAsync($"qrs/tag/{tagId}"))["name"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheAdminEndpointInjectsFaultsAndSeeds()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-admin-").FullName;
        try
        {
            await using SandboxServer server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = folder });
            using var client = new QrsTestClient(server, "INTERNAL", "sa_api");

            using var seed = new StringContent("{\"users\": 25}", Encoding.UTF8, "application/json");
            Assert.Equal(204, (int)(await client.Http.PostAsync("sandbox/seed", seed)).StatusCode);
            using var fault = new StringContent("{\"failNext\": {\"count\": 1, \"status\": 502, \"path\": \"/qrs/user\"}}", Encoding.UTF8, "application/json");
            Assert.Equal(204, (int)(await client.Http.PostAsync("sandbox/faults", fault)).StatusCode);

            Assert.Equal(502, (await client.SendAsync(HttpMethod.Get, "qrs/user/count")).Status);
            Assert.True((int)(await client.GetJsonAsync("qrs/user/count"))["value"]! >= 25);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
