using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class AppFlowTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public AppFlowTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static byte[] AppBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<JsonNode> Upload(QrsTestClient client, string name, byte[] content, string path = "qrs/app/upload")
    {
        using HttpRequestMessage request = client.Request(HttpMethod.Post, $"{path}?name={Uri.EscapeDataString(name)}&keepdata=true");
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.qlik.sense.app");
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<byte[]> Export(QrsTestClient client, string appId)
    {
        var export = await client.SendJsonAsync(HttpMethod.Post, $"qrs/app/{appId}/export/{Guid.NewGuid()}?skipData=false", new JsonObject(), 201);
        using HttpResponseMessage download = await client.Http.SendAsync(client.Request(HttpMethod.Get, ((string)export["downloadPath"]!).TrimStart('/')));
        Assert.Equal(200, (int)download.StatusCode);
        return await download.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task UploadStoresTheFileAndCreatesTheApp()
    {
        using QrsTestClient client = _sandbox.Client("CORP", "uploader");
        byte[] content = AppBytes(300_000, 1);
        var app = await Upload(client, "Uploaded é", content);

        Assert.Equal("Uploaded é", (string?)app["name"]);
        Assert.Equal(content.Length, (long)app["fileSize"]!);
        Assert.Equal("uploader", (string?)app["owner"]!["userId"]);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_sandbox.Server.ContentFolder, "apps", (string)app["id"]! + ".qvf")));
    }

    [Fact]
    public async Task UploadAcceptsAMultipartForm()
    {
        using QrsTestClient client = _sandbox.Client();
        byte[] content = AppBytes(10_000, 2);
        using HttpRequestMessage request = client.Request(HttpMethod.Post, "qrs/app/upload?name=multipart");
        var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", "multipart.qvf" } };
        request.Content = form;
        using HttpResponseMessage response = await client.Http.SendAsync(request);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(content.Length, (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["fileSize"]!);
    }

    [Fact]
    public async Task UploadWithoutANameOrWithAnotherContentTypeIsRefused()
    {
        using QrsTestClient client = _sandbox.Client();
        using HttpRequestMessage noName = client.Request(HttpMethod.Post, "qrs/app/upload");
        noName.Content = new ByteArrayContent(new byte[10]);
        noName.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.qlik.sense.app");
        using HttpRequestMessage wrongType = client.Request(HttpMethod.Post, "qrs/app/upload?name=x");
        wrongType.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        Assert.Equal(400, (int)(await client.Http.SendAsync(noName)).StatusCode);
        Assert.Equal(415, (int)(await client.Http.SendAsync(wrongType)).StatusCode);
    }

    [Fact]
    public async Task ExportIsTwoCallsAndTheDownloadWorksOnceForItsUserOnly()
    {
        using QrsTestClient owner = _sandbox.Client("CORP", "exporter");
        using QrsTestClient stranger = _sandbox.Client("CORP", "stranger");
        byte[] content = AppBytes(123_456, 3);
        var app = await Upload(owner, "Exported", content);
        var export = await owner.SendJsonAsync(HttpMethod.Post, $"qrs/app/{app["id"]}/export/{Guid.NewGuid()}", new JsonObject(), 201);
        string path = ((string)export["downloadPath"]!).TrimStart('/');

        Assert.StartsWith("tempcontent/", path);
        Assert.Equal(403, (await stranger.SendAsync(HttpMethod.Get, path)).Status);
        using HttpResponseMessage download = await owner.Http.SendAsync(owner.Request(HttpMethod.Get, path));
        Assert.Equal(content.Length, download.Content.Headers.ContentLength);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(404, (await owner.SendAsync(HttpMethod.Get, path)).Status);
    }

    [Fact]
    public async Task UploadReplaceKeepsTheIdAndSwapsTheFile()
    {
        using QrsTestClient client = _sandbox.Client();
        var app = await Upload(client, "To replace", AppBytes(1000, 4));
        byte[] replacement = AppBytes(2000, 5);
        using HttpRequestMessage request = client.Request(HttpMethod.Post, $"qrs/app/upload/replace?targetappid={app["id"]}");
        request.Content = new ByteArrayContent(replacement);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.qlik.sense.app");
        using HttpResponseMessage response = await client.Http.SendAsync(request);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(replacement, await Export(client, (string)app["id"]!));
    }

    [Fact]
    public async Task CopyPublishReplaceReloadAndDelete()
    {
        using QrsTestClient client = _sandbox.Client();
        byte[] original = AppBytes(5000, 6);
        var app = await Upload(client, "Original", original);
        string id = (string)app["id"]!;

        var copy = await client.SendJsonAsync(HttpMethod.Post, $"qrs/app/{id}/copy?name=The%20copy", new JsonObject(), 201);
        Assert.Equal("The copy", (string?)copy["name"]);
        Assert.NotEqual(id, (string?)copy["id"]);
        Assert.Equal(original, await Export(client, (string)copy["id"]!));

        var stream = await client.SendJsonAsync(HttpMethod.Post, "qrs/stream", new JsonObject { ["name"] = "Publish target " + Guid.NewGuid() }, 201);
        var published = await client.SendJsonAsync(HttpMethod.Put, $"qrs/app/{copy["id"]}/publish?stream={stream["id"]}&name=Published", new JsonObject(), 200);
        Assert.True((bool)published["published"]!);
        Assert.Equal((string?)stream["id"], (string?)published["stream"]!["id"]);
        Assert.Equal("Published", (string?)published["name"]);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Put, $"qrs/app/{copy["id"]}/publish?stream={stream["id"]}", new JsonObject())).Status);

        var newer = await Upload(client, "Newer", AppBytes(7000, 7));
        var replaced = await client.SendJsonAsync(HttpMethod.Put, $"qrs/app/{newer["id"]}/replace?app={copy["id"]}", new JsonObject(), 200);
        Assert.Equal((string?)copy["id"], (string?)replaced["id"]);
        Assert.Equal(7000, (long)replaced["fileSize"]!);
        Assert.Equal("Published", (string?)replaced["name"]);

        string before = (string)(await client.GetJsonAsync($"qrs/app/{id}"))["lastReloadTime"]!;
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, $"qrs/app/{id}/reload")).Status);
        Assert.True(string.CompareOrdinal((string)(await client.GetJsonAsync($"qrs/app/{id}"))["lastReloadTime"]!, before) > 0);

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/app/{id}")).Status);
        Assert.False(File.Exists(Path.Combine(_sandbox.Server.ContentFolder, "apps", id + ".qvf")));
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"qrs/app/{id}")).Status);
    }
}
