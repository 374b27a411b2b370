using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// Every kind of fault armed over HTTP, as a user's runbook test arms it, for one method and one path; the admin
/// endpoint itself never faulted; its values checked. One class, one sandbox: faults are global.
/// </summary>
public sealed class AdminEndpointTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;

    public AdminEndpointTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose() => _sandbox.Server.Faults.Clear();

    [Fact]
    public async Task AStatusWithRetryAfterAndBodyForOneMethodAndPath()
    {
        await Arm("""{"failNext": {"count": 2, "path": "/qrs/tag", "method": "post", "status": 429, "retryAfterSeconds": 7, "body": "Too many calls, slow down."}}""");
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/tag")).Status);
        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, "qrs/stream", NewStream())).Status);
        foreach (int attempt in new[] { 1, 2 })
        {
            using HttpResponseMessage refused = await client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()));
            Assert.Equal(429, (int)refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("Too many calls, slow down.", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, "qrs/tag", NewTag())).Status);
    }

    [Fact]
    public async Task AStatusWithoutABody()
    {
        await Arm("""{"failNext": {"path": "/qrs/about", "status": 204}}""");
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal((204, string.Empty), await client.SendAsync(HttpMethod.Get, "qrs/about"));
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
    }

    [Fact]
    public async Task ADelay()
    {
        await Arm("""{"delayNext": {"path": "/qrs/tag", "method": "POST", "milliseconds": 600000}}""");
        using QrsTestClient client = _sandbox.Client();
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/tag")).Status);

        using (var waited = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()), waited.Token));
        }

        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, "qrs/tag", NewTag())).Status);
    }

    [Fact]
    public async Task ADroppedConnection()
    {
        await Arm("""{"dropNext": {"path": "/qrs/tag", "method": "POST"}}""");
        await OnlyTheArmedCallFails(async client => await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Post, "qrs/tag", NewTag())));
    }

    [Fact]
    public async Task AResetMidAnswer()
    {
        await Arm("""{"resetNext": {"path": "/qrs/tag", "method": "POST"}}""");
        await OnlyTheArmedCallFails(async client =>
        {
            using HttpResponseMessage response = await client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(201, (int)response.StatusCode);
            Exception broken = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
            Assert.True(broken is HttpRequestException or IOException, broken.ToString());
        });
    }

    [Fact]
    public async Task ATruncatedAnswer()
    {
        await Arm("""{"truncateNext": {"path": "/qrs/tag", "method": "POST"}}""");
        await OnlyTheArmedCallFails(async client =>
        {
            using HttpResponseMessage response = await client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()), HttpCompletionOption.ResponseHeadersRead);
            Exception broken = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
            Assert.True(broken is HttpRequestException or IOException, broken.ToString());
        });
    }

    [Fact]
    public async Task AStalledAnswer()
    {
        await Arm("""{"stallNext": {"count": 1, "path": "/qrs/tag", "method": "POST"}}""");
        await OnlyTheArmedCallFails(async client =>
        {
            using HttpResponseMessage response = await client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()), HttpCompletionOption.ResponseHeadersRead);
            using var waited = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => response.Content.ReadAsStringAsync(waited.Token));
        });
    }

    /// <summary>A byte a tenth of a second: the first read has only a few of the answer's hundreds, where a normal answer comes in one piece.</summary>
    [Fact]
    public async Task ASlowAnswer()
    {
        await Arm("""{"slowNext": {"path": "/qrs/tag", "method": "POST", "bytesPerSecond": 10}}""");
        await OnlyTheArmedCallFails(async client =>
        {
            using HttpResponseMessage response = await client.Http.SendAsync(client.Request(HttpMethod.Post, "qrs/tag", NewTag()), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(201, (int)response.StatusCode);
            long length = response.Content.Headers.ContentLength ?? 0;
            await using Stream body = await response.Content.ReadAsStreamAsync();
            Assert.InRange(await body.ReadAsync(new byte[4096]), 1, length / 2);
        });
    }

    [Fact]
    public async Task TheAdminEndpointIsNeverFaultedNorDelayed()
    {
        await Arm("""
            {"latencyMilliseconds": 3600000, "failNext": {"count": 100, "status": 500}, "delayNext": {"count": 100, "milliseconds": 3600000},
             "dropNext": {"count": 100}, "resetNext": {"count": 100}, "stallNext": {"count": 100}, "truncateNext": {"count": 100},
             "slowNext": {"count": 100, "bytesPerSecond": 1}}
            """);
        using QrsTestClient client = _sandbox.Client();
        client.Http.Timeout = TimeSpan.FromSeconds(30);

        Assert.Equal(200, (int)(await client.Http.GetAsync("sandbox/requests")).StatusCode);
        Assert.Equal(204, await Administer(client, "seed", "{}"));
        Assert.Equal(204, await Administer(client, "requests", """{"clear": true}"""));
        Assert.Equal(204, await Administer(client, "faults", """{"clear": true}"""));
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
    }

    [Theory]
    [InlineData("faults", """{"failNext": {"status": 99}}""", "status of failNext must be a whole number from 200 to 599, not the number 99.")]
    [InlineData("faults", """{"failNext": {"status": "503"}}""", "status of failNext must be a whole number from 200 to 599, not the text '503'.")]
    [InlineData("faults", """{"failNext": {"count": -1}}""", "count of failNext must be a whole number from 1 to 2147483647, not the number -1.")]
    [InlineData("faults", """{"failNext": {"count": 0}}""", "count of failNext must be a whole number from 1 to 2147483647, not the number 0.")]
    [InlineData("faults", """{"failNext": {"count": "two"}}""", "count of failNext must be a whole number from 1 to 2147483647, not the text 'two'.")]
    [InlineData("faults", """{"failNext": {"count": 1.5}}""", "count of failNext must be a whole number from 1 to 2147483647, not the number 1.5.")]
    [InlineData("faults", """{"failNext": {"retryAfterSeconds": -1}}""", "retryAfterSeconds of failNext must be a number from 0 to 86400, not the number -1.")]
    [InlineData("faults", """{"failNext": {"method": "FETCH"}}""", "method of failNext must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, not the text 'FETCH'.")]
    [InlineData("faults", """{"failNext": {"path": ""}}""", "path of failNext must be a part of a QRS path (the admin endpoint is never faulted), not the text ''.")]
    [InlineData("faults", """{"dropNext": {"path": "/sandbox/faults"}}""", "path of dropNext must be a part of a QRS path (the admin endpoint is never faulted), not the text '/sandbox/faults'.")]
    [InlineData("faults", """{"failNext": {"status": 304, "body": "moved"}}""", "A 304 answer has no body: leave body out of failNext.")]
    [InlineData("faults", """{"failNext": 503}""", "failNext of POST /sandbox/faults must be an object, not the number 503.")]
    [InlineData("faults", """{"failnext": {}}""", "POST /sandbox/faults takes clear, latencyMilliseconds, failNext, delayNext, dropNext, resetNext, slowNext, stallNext, truncateNext; 'failnext' is not one of them.")]
    [InlineData("faults", """{"dropNext": {"status": 500}}""", "dropNext takes count, path, method; 'status' is not one of them.")]
    [InlineData("faults", """{"slowNext": {}}""", "slowNext needs bytesPerSecond.")]
    [InlineData("faults", """{"slowNext": {"bytesPerSecond": 0}}""", "bytesPerSecond of slowNext must be a whole number from 1 to 2147483647, not the number 0.")]
    [InlineData("faults", """{"delayNext": {}}""", "delayNext needs milliseconds.")]
    [InlineData("faults", """{"latencyMilliseconds": "slow"}""", "latencyMilliseconds of POST /sandbox/faults must be a number from 0 to 86400000, not the text 'slow'.")]
    [InlineData("faults", """{"latencyMilliseconds": -5}""", "latencyMilliseconds of POST /sandbox/faults must be a number from 0 to 86400000, not the number -5.")]
    [InlineData("faults", """{"clear": "yes"}""", "clear of POST /sandbox/faults must be true or false, not the text 'yes'.")]
    [InlineData("faults", "[]", "The body must be a JSON object.")]
    [InlineData("seed", """{"users": -1}""", "users of POST /sandbox/seed must be a whole number from 0 to 2147483647, not the number -1.")]
    [InlineData("seed", """{"apps": "many"}""", "apps of POST /sandbox/seed must be a whole number from 0 to 2147483647, not the text 'many'.")]
    [InlineData("seed", """{"groups": 3}""", "POST /sandbox/seed takes users, apps, streams, tasks, tags; 'groups' is not one of them.")]
    [InlineData("requests", """{"clear": 1}""", "clear of POST /sandbox/requests must be true or false, not the number 1.")]
    [InlineData("tasks", """{"name": "No such task", "succeed": false}""", "name of POST /sandbox/tasks must be the name of a task, not the text 'No such task'.")]
    [InlineData("tasks", """{"id": "7", "succeed": false}""", "id of POST /sandbox/tasks must be the id of a task, not the text '7'.")]
    [InlineData("tasks", """{"name": "Reload task 0001", "id": "7", "succeed": false}""", "POST /sandbox/tasks names a task by name or by id, not both.")]
    [InlineData("tasks", """{"name": "Reload task 0001", "succeed": "no"}""", "succeed of POST /sandbox/tasks must be true or false, not the text 'no'.")]
    [InlineData("tasks", """{"name": "Reload task 0001", "durationMilliseconds": -1}""", "durationMilliseconds of POST /sandbox/tasks must be a number from 0 to 86400000, not the number -1.")]
    [InlineData("tasks", """{"name": "Reload task 0001"}""", "POST /sandbox/tasks names a task but says nothing of its runs: give succeed, durationMilliseconds or both.")]
    [InlineData("tasks", """{"succeed": false}""", "POST /sandbox/tasks needs the name or the id of the task whose runs it arranges.")]
    [InlineData("tasks", """{"fireSchedules": "now"}""", "fireSchedules of POST /sandbox/tasks must be true or false, not the text 'now'.")]
    [InlineData("tasks", """{"outcome": "fail"}""", "POST /sandbox/tasks takes name, id, succeed, durationMilliseconds, fireSchedules; 'outcome' is not one of them.")]
    public async Task AnAdminValueThatIsWrongIs400(string endpoint, string json, string message)
    {
        using QrsTestClient client = _sandbox.Client();
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.Http.PostAsync("sandbox/" + endpoint, body);

        Assert.Equal((400, message), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The body is checked whole before anything is armed: a refused one arms nothing of what came before the wrong value.</summary>
    [Fact]
    public async Task ARefusedBodyArmsNothing()
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(400, await Administer(client, "faults", """{"latencyMilliseconds": 600000, "failNext": {"path": "/qrs/about"}, "dropNext": {"count": -1}}"""));

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
        Assert.Equal(TimeSpan.Zero, _sandbox.Server.Faults.Latency);
    }

    private async Task Arm(string json)
    {
        using QrsTestClient client = _sandbox.Client();
        Assert.Equal(204, await Administer(client, "faults", json));
    }

    private static async Task<int> Administer(QrsTestClient client, string endpoint, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.Http.PostAsync("sandbox/" + endpoint, body);
        return (int)response.StatusCode;
    }

    /// <summary>A GET of the path and a POST of another answer as usual; the armed POST meets the fault, on a fresh connection (HttpClient would quietly retry a call a reused one lost); the next POST is answered.</summary>
    private async Task OnlyTheArmedCallFails(Func<QrsTestClient, Task> armedCall)
    {
        using QrsTestClient client = _sandbox.Client();
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/tag")).Status);
        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, "qrs/stream", NewStream())).Status);
        using (QrsTestClient caller = _sandbox.Client())
        {
            await armedCall(caller);
        }

        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, "qrs/tag", NewTag())).Status);
    }

    private static JsonObject NewTag() => new() { ["name"] = "faulted " + Guid.NewGuid() };

    private static JsonObject NewStream() => new() { ["name"] = "unfaulted " + Guid.NewGuid() };
}
