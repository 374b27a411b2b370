using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class ProxyTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ProxyTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private QrsTestClient ProxyClient() => new(_sandbox.Server, null, null, sendCertificate: false, baseAddress: _sandbox.Server.ProxyAddress);

    private static string Token(byte[] key, string directory, string userId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["userDirectory"] = directory, ["userId"] = userId },
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task HeaderAuthenticationReachesTheSameQrsAsTheHeadersUser()
    {
        using QrsTestClient client = ProxyClient();
        client.Http.DefaultRequestHeaders.Add("X-Sandbox-User", "jdoe");
        var tag = await client.SendJsonAsync(HttpMethod.Post, "header/qrs/tag", new JsonObject { ["name"] = "via-header-" + Guid.NewGuid() }, 201);

        Assert.Equal(@"EXTERNAL\jdoe", (string?)tag["modifiedByUserName"]);
        using QrsTestClient direct = _sandbox.Client();
        Assert.Equal((string?)tag["name"], (string?)(await direct.GetJsonAsync($"qrs/tag/{tag["id"]}"))["name"]);
    }

    [Fact]
    public async Task AnExportDownloadsThroughTheVirtualProxyPrefix()
    {
        using QrsTestClient client = ProxyClient();
        client.Http.DefaultRequestHeaders.Add("X-Sandbox-User", "exporter");
        using HttpRequestMessage upload = client.Request(HttpMethod.Post, "header/qrs/app/upload?name=Via%20proxy");
        upload.Content = new ByteArrayContent(new byte[] { 1, 2, 3, 4, 5 });
        upload.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.qlik.sense.app");
        JsonNode app = JsonNode.Parse(await (await client.Http.SendAsync(upload)).Content.ReadAsStringAsync())!;
        var export = await client.SendJsonAsync(HttpMethod.Post, $"header/qrs/app/{app["id"]}/export/{Guid.NewGuid()}", new JsonObject(), 201);

        using HttpResponseMessage download = await client.Http.SendAsync(client.Request(HttpMethod.Get, "header" + (string)export["downloadPath"]!));
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeaderAuthenticationWithoutTheHeaderIs401()
    {
        using QrsTestClient client = ProxyClient();

        Assert.Equal(401, (await client.SendAsync(HttpMethod.Get, "header/qrs/about")).Status);
    }

    [Fact]
    public async Task JwtAuthenticationNamesTheUserFromItsClaims()
    {
        using QrsTestClient client = ProxyClient();
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", Token(SandboxFixture.JwtKey, "CORP", "jwt.user"));
        var tag = await client.SendJsonAsync(HttpMethod.Post, "jwt/qrs/tag", new JsonObject { ["name"] = "via-jwt-" + Guid.NewGuid() }, 201);

        Assert.Equal(@"CORP\jwt.user", (string?)tag["modifiedByUserName"]);
    }

    [Fact]
    public async Task AJwtSignedWithAnotherKeyIs401()
    {
        using QrsTestClient client = ProxyClient();
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", Token(new byte[48], "CORP", "intruder"));

        Assert.Equal(401, (await client.SendAsync(HttpMethod.Get, "jwt/qrs/about")).Status);
    }

    [Fact]
    public async Task TheProxyChecksTheXrfkeyToo()
    {
        using QrsTestClient client = ProxyClient();
        client.Http.DefaultRequestHeaders.Add("X-Sandbox-User", "jdoe");
        using HttpResponseMessage response = await client.Http.GetAsync("header/qrs/about");

        Assert.Equal(403, (int)response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPrefixIs404AndTheDirectPortHasNoPrefixes()
    {
        using QrsTestClient proxy = ProxyClient();
        using QrsTestClient direct = _sandbox.Client();

        Assert.Equal(404, (await proxy.SendAsync(HttpMethod.Get, "nosuchproxy/qrs/about")).Status);
        Assert.Equal(404, (await direct.SendAsync(HttpMethod.Get, "header/qrs/about")).Status);
    }
}
