using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>Each fault a test can ask of the sandbox, seen from the client. One class, one sandbox: faults are global.</summary>
public sealed class FaultTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;

    public FaultTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose() => _sandbox.Server.Faults.Clear();

    [Fact]
    public async Task AStatusForTheNextCallsMatchingAPathWithRetryAfter()
    {
        _sandbox.Server.Faults.FailNext(2, 503, "/qrs/stream", TimeSpan.FromSeconds(3));
        using QrsTestClient client = _sandbox.Client();

        using HttpResponseMessage first = await client.Http.SendAsync(client.Request(HttpMethod.Get, "qrs/stream"));
        using HttpResponseMessage other = await client.Http.SendAsync(client.Request(HttpMethod.Get, "qrs/tag"));
        using HttpResponseMessage second = await client.Http.SendAsync(client.Request(HttpMethod.Get, "qrs/stream"));
        using HttpResponseMessage third = await client.Http.SendAsync(client.Request(HttpMethod.Get, "qrs/stream"));

        Assert.Equal(503, (int)first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Equal(200, (int)other.StatusCode);
        Assert.Equal(503, (int)second.StatusCode);
        Assert.Equal(200, (int)third.StatusCode);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task OtherStatuses(int status)
    {
        _sandbox.Server.Faults.FailNext(1, status, "/qrs/about");
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(status, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
    }

    [Fact]
    public async Task AConnectionResetMidResponse()
    {
        _sandbox.Server.Faults.ResetConnectionNext(1, "/qrs/app/full");
        using QrsTestClient client = _sandbox.Client();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(HttpMethod.Get, "qrs/app/full"));
        Assert.True(error is HttpRequestException or IOException, error.ToString());
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/app/full")).Status);
    }

    [Fact]
    public async Task ADroppedConnection()
    {
        _sandbox.Server.Faults.DropConnectionNext(1, "/qrs/about");
        using QrsTestClient client = _sandbox.Client();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "qrs/about"));
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
    }

    [Fact]
    public async Task ATruncatedBody()
    {
        _sandbox.Server.Faults.TruncateBodyNext(1, "/qrs/user/full");
        using QrsTestClient client = _sandbox.Client();

        await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(HttpMethod.Get, "qrs/user/full"));
    }

    [Fact]
    public async Task ASlowBodyStillArrivesWhole()
    {
        _sandbox.Server.Faults.SlowBodyNext(1, 20_000, "/qrs/tag");
        using QrsTestClient client = _sandbox.Client();
        var (status, text) = await client.SendAsync(HttpMethod.Get, "qrs/tag");

        Assert.Equal(200, status);
        Assert.StartsWith("[", text);
        Assert.EndsWith("]", text);
    }

    [Fact]
    public async Task AddedLatencyDelaysTheAnswerAndACallerCanGiveUp()
    {
        _sandbox.Server.Faults.Latency = TimeSpan.FromSeconds(30);
        using QrsTestClient client = _sandbox.Client();
        client.Http.Timeout = TimeSpan.FromMilliseconds(300);

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.SendAsync(HttpMethod.Get, "qrs/about"));
    }
}
