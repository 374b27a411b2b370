using System;
using System.Net.Http;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class TransportTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TransportTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task AnswersACallWithTheQmcClientCertificate()
    {
        using QrsTestClient client = _sandbox.Client();
        var about = await client.GetJsonAsync("qrs/about");

        Assert.Equal("About", (string?)about["schemaPath"]);
        Assert.StartsWith("38.22.0", (string?)about["buildVersion"]);
    }

    [Fact]
    public async Task RefusesACallWithoutAClientCertificate()
    {
        using var client = new QrsTestClient(_sandbox.Server, "INTERNAL", "sa_api", sendCertificate: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "qrs/about"));
    }

    [Fact]
    public async Task RefusesAClientCertificateFromAnotherRoot()
    {
        using QmcCertificateSet other = QmcCertificateSet.Mint("othersite");
        using var client = new QrsTestClient(_sandbox.Server, "INTERNAL", "sa_api", other.Client);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "qrs/about"));
    }

    [Fact]
    public void TheServerCertificateNamesLocalhostTheLoopbackAddressesAndTheMachine()
    {
        string names = _sandbox.Server.Certificates.Server.Extensions["2.5.29.17"]!.Format(false);

        Assert.Contains("localhost", names);
        Assert.Contains("127.0.0.1", names);
        Assert.Contains(System.Net.Dns.GetHostName(), names);
    }

    [Theory]
    [InlineData(null, "abcdefghijklmnop")]
    [InlineData("abcdefghijklmnop", null)]
    [InlineData("abcdefghijklmnop", "abcdefghijklmnoq")]
    [InlineData("abcdefghijklmno!", "abcdefghijklmno!")]
    [InlineData("short", "short")]
    public async Task RefusesAMissingOrMismatchedXrfkey(string? query, string? header)
    {
        using QrsTestClient client = _sandbox.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "qrs/about" + (query is null ? string.Empty : "?xrfkey=" + Uri.EscapeDataString(query)));
        if (header is not null)
        {
            request.Headers.Add("X-Qlik-Xrfkey", header);
        }

        using HttpResponseMessage response = await client.Http.SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal(QrsRequestChecks.XsrfFailure, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefusesACallWithoutXQlikUser()
    {
        using var client = new QrsTestClient(_sandbox.Server, null, null);
        var (status, text) = await client.SendAsync(HttpMethod.Get, "qrs/app");

        Assert.Equal(403, status);
        Assert.Equal(QrsRequestChecks.UnknownUser, text);
    }

    [Fact]
    public async Task RefusesAMalformedXQlikUser()
    {
        using var client = new QrsTestClient(_sandbox.Server, null, null);
        client.Http.DefaultRequestHeaders.Add("X-Qlik-User", "UserId=sa_api");
        var (status, text) = await client.SendAsync(HttpMethod.Get, "qrs/app");

        Assert.Equal(403, status);
        Assert.Equal(QrsRequestChecks.UnknownUser, text);
    }

    [Fact]
    public async Task TheUserBecomesModifiedByUserNameAndOwnerUrlDecoded()
    {
        using QrsTestClient client = _sandbox.Client("CORP", "Zoë O'Brien");
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new System.Text.Json.Nodes.JsonObject { ["name"] = "owned-" + Guid.NewGuid() }, 201);
        var stream = await client.SendJsonAsync(HttpMethod.Post, "qrs/stream", new System.Text.Json.Nodes.JsonObject { ["name"] = "Zoë's stream " + Guid.NewGuid() }, 201);

        Assert.Equal(@"CORP\Zoë O'Brien", (string?)tag["modifiedByUserName"]);
        Assert.Equal("Zoë O'Brien", (string?)stream["owner"]!["userId"]);
        Assert.Equal("CORP", (string?)stream["owner"]!["userDirectory"]);
    }
}
