using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// A JSON body is refused past the limit, as it arrives and before it is all sent, so a huge body costs the sandbox
/// no more than the limit; files sent to the upload endpoints stream to disk past it.
/// </summary>
public sealed class BodyLimitTests : IClassFixture<SandboxFixture>
{
    private const long FourHundredMegabytes = 400L << 20;
    private const long PastTheLimit = QrsHttp.MaxBodyBytes + (1 << 20);

    private readonly SandboxFixture _sandbox;

    public BodyLimitTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>
    /// With its length declared the body is refused on its headers alone; without (HTTP/2 sends no length unless told)
    /// once the limit has arrived. Either way the client's stream was not read to its end: the server neither took nor
    /// held the rest. HTTP/1.1 has a client wait for the server's word with Expect: 100-continue, or the refusal
    /// arrives as a broken connection while it still sends; HTTP/2 takes the answer mid-send.
    /// </summary>
    [Theory]
    [InlineData("1.1", true)]
    [InlineData("2.0", true)]
    [InlineData("2.0", false)]
    public async Task AJsonBodyPastTheLimitIsA413BeforeItIsAllSent(string httpVersion, bool declareLength)
    {
        using QrsTestClient client = _sandbox.Client();
        int tagsBefore = await CountTags(client);
        var body = new JsonTextStream(FourHundredMegabytes);
        using HttpRequestMessage request = client.Request(HttpMethod.Post, "qrs/tag");
        request.Version = Version.Parse(httpVersion);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Headers.ExpectContinue = request.Version.Major == 1;
        request.Content = new StreamContent(body, 64 * 1024);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = declareLength ? FourHundredMegabytes : null;

        using HttpResponseMessage response = await client.Http.SendAsync(request);

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal(QrsHttp.BodyTooLarge, await response.Content.ReadAsStringAsync());
        Assert.True(body.Position < FourHundredMegabytes / 2, $"The client sent {body.Position} of {FourHundredMegabytes} bytes.");
        Assert.Equal(tagsBefore, await CountTags(client));
    }

    [Fact]
    public async Task AJsonBodyWithinTheLimitIsReadAndJudgedByWhatItHolds()
    {
        using QrsTestClient client = _sandbox.Client();
        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = new string('n', 10_000_000) });

        Assert.Equal(400, status);
        Assert.StartsWith("The name of Tag is 10000000 characters long", text);
    }

    [Fact]
    public async Task AnAppUploadAndAReplaceGoPastTheLimit()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode app = await Upload(client, "qrs/app/upload?name=" + Guid.NewGuid(), "application/vnd.qlik.sense.app", new PatternStream(PastTheLimit));
        Assert.Equal(PastTheLimit, (long)app["fileSize"]!);

        JsonNode replaced = await Upload(client, $"qrs/app/upload/replace?targetappid={app["id"]}", "application/vnd.qlik.sense.app", new PatternStream(PastTheLimit + 1));
        Assert.Equal(PastTheLimit + 1, (long)replaced["fileSize"]!);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/app/{app["id"]}")).Status);
    }

    [Fact]
    public async Task AContentLibraryFileGoesPastTheLimit()
    {
        using QrsTestClient client = _sandbox.Client();
        string library = "Big " + Guid.NewGuid().ToString("N")[..6];
        var whitelist = (await client.GetJsonAsync("qrs/fileextensionwhitelist/full?" + QrsTestClient.Filter("libraryType eq ContentLibrary"))).AsArray().Single()!;
        await client.SendJsonAsync(HttpMethod.Post, "qrs/contentlibrary", new JsonObject { ["name"] = library, ["whiteList"] = new JsonObject { ["id"] = (string)whitelist["id"]! } }, 201);

        JsonNode logicalPath = await Upload(client, $"qrs/contentlibrary/{Uri.EscapeDataString(library)}/uploadfile?externalpath=big.bin", "application/octet-stream", new PatternStream(PastTheLimit));

        Assert.Equal($"/content/{library}/big.bin", (string?)logicalPath);
        var reference = (await client.GetJsonAsync("qrs/staticcontentreference/full?" + QrsTestClient.Filter($"logicalPath eq '/content/{library}/big.bin'"))).AsArray().Single()!;
        Assert.Equal(PastTheLimit, (long)reference["size"]!);
    }

    [Fact]
    public async Task AnExtensionZipGoesPastTheLimit()
    {
        using QrsTestClient client = _sandbox.Client();
        string name = "big" + Guid.NewGuid().ToString("N")[..6];
        string zip = Path.Combine(_sandbox.Folder, name + ".zip");
        await using (var file = File.Create(zip))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            await using (var manifest = new StreamWriter(archive.CreateEntry($"{name}.qext").Open()))
            {
                await manifest.WriteAsync("{}");
            }

            await using Stream entry = archive.CreateEntry($"{name}.js", CompressionLevel.NoCompression).Open();
            await new PatternStream(PastTheLimit).CopyToAsync(entry);
        }

        JsonNode created = await Upload(client, "qrs/extension/upload", "application/zip", File.OpenRead(zip));

        Assert.True(new FileInfo(zip).Length > QrsHttp.MaxBodyBytes);
        Assert.Equal(name, (string?)created[0]!["name"]);
    }

    private static async Task<JsonNode> Upload(QrsTestClient client, string pathAndQuery, string contentType, Stream content)
    {
        using HttpRequestMessage request = client.Request(HttpMethod.Post, pathAndQuery);
        request.Content = new StreamContent(content, 1 << 20);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<int> CountTags(QrsTestClient client) => (int)(await client.GetJsonAsync("qrs/tag/count"))["value"]!;
}
