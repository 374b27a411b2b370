using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class LargeUploadTests : IClassFixture<SandboxFixture>
{
    private const long FourGigabytesAndABit = (4L << 30) + 4096 + 17;

    private readonly SandboxFixture _sandbox;

    public LargeUploadTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>An app file past 4 GB (sizes that overflow 32 bits) goes to disk whole, as it streams in.</summary>
    [Fact]
    public async Task AnAppFileOverFourGigabytesUploads()
    {
        using QrsTestClient client = _sandbox.Client();
        client.Http.Timeout = TimeSpan.FromMinutes(10);
        using HttpRequestMessage request = client.Request(HttpMethod.Post, "qrs/app/upload?name=Huge");
        request.Content = new StreamContent(new PatternStream(FourGigabytesAndABit), 1 << 20);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.qlik.sense.app");
        request.Content.Headers.ContentLength = FourGigabytesAndABit;

        using HttpResponseMessage response = await client.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        JsonNode app = JsonNode.Parse(text)!;
        string file = Path.Combine(_sandbox.Server.ContentFolder, "apps", (string)app["id"]! + ".qvf");
        try
        {
            Assert.Equal(FourGigabytesAndABit, (long)app["fileSize"]!);
            Assert.Equal(FourGigabytesAndABit, new FileInfo(file).Length);
        }
        finally
        {
            await client.SendAsync(HttpMethod.Delete, $"qrs/app/{app["id"]}");
        }

        Assert.False(File.Exists(file));
    }
}
