using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// The request log over the admin endpoint, as a Pester test reads it to count a client's attempts. One class, one
/// sandbox: the log and the faults are global.
/// </summary>
public sealed class RequestLogTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public RequestLogTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static async Task<int> Administer(QrsTestClient client, string endpoint, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.Http.PostAsync("sandbox/" + endpoint, body);
        return (int)response.StatusCode;
    }

    private static async Task<JsonArray> Log(QrsTestClient client) => JsonNode.Parse(await client.Http.GetStringAsync("sandbox/requests"))!.AsArray();

    [Fact]
    public async Task ListsEachAttemptWithItsStatusAndUserAndLeavesOutAdminCalls()
    {
        using QrsTestClient client = _sandbox.Client();
        Assert.Equal(204, await Administer(client, "requests", "{\"clear\": true}"));
        Assert.Equal(204, await Administer(client, "faults", "{\"failNext\": {\"count\": 2, \"status\": 503, \"path\": \"/qrs/about\"}}"));

        int[] statuses = { (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status };
        JsonArray log = await Log(client);

        Assert.Equal(new[] { 503, 503, 200 }, statuses);
        Assert.Equal(3, log.Count);
        Assert.All(log, entry =>
        {
            Assert.Equal("GET", (string?)entry!["method"]);
            Assert.Equal("/qrs/about", (string?)entry["path"]);
            Assert.Equal("UserDirectory=INTERNAL; UserId=sa_api", (string?)entry["user"]);
            Assert.Equal((string?)entry["queryXrfkey"], (string?)entry["headerXrfkey"]);
        });
        Assert.Equal(new int?[] { 503, 503, 200 }, log.Select(entry => (int?)entry!["status"]));
    }

    [Fact]
    public async Task ADroppedConnectionIsLoggedWithoutAStatus()
    {
        using QrsTestClient control = _sandbox.Client();
        Assert.Equal(204, await Administer(control, "requests", "{\"clear\": true}"));
        _sandbox.Server.Faults.DropConnectionNext(1, "/qrs/tag");

        // A fresh connection: HttpClient would quietly retry a request that a reused connection lost.
        using (QrsTestClient caller = _sandbox.Client())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => caller.SendAsync(HttpMethod.Get, "qrs/tag"));
        }

        JsonNode entry = Assert.Single(await Log(control))!;

        Assert.Equal("/qrs/tag", (string?)entry["path"]);
        Assert.Null(entry["status"]);
    }

    [Fact]
    public async Task ClearEmptiesTheLog()
    {
        using QrsTestClient client = _sandbox.Client();
        await client.SendAsync(HttpMethod.Get, "qrs/about");
        Assert.NotEmpty(await Log(client));

        Assert.Equal(204, await Administer(client, "requests", "{\"clear\": true}"));

        Assert.Empty(await Log(client));
    }

    [Fact]
    public async Task TheLogNeedsTheClientCertificate()
    {
        using var client = new QrsTestClient(_sandbox.Server, "INTERNAL", "sa_api", sendCertificate: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Http.GetStringAsync("sandbox/requests"));
    }
}
