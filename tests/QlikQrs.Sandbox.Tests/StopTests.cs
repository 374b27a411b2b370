using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>The sandbox executable stops cleanly however its host says stop: a signal, or the end of standard input.</summary>
public sealed class StopTests : IDisposable
{
    /// <summary>
    /// How long a test waits for the process to end. The sandbox stops within 2 seconds; the bound is wider for a
    /// loaded machine, and far below the 30-second latency of the request left in flight, which a stop that waited
    /// for it would exceed.
    /// </summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    private const string NoSignalsOnWindows = "Windows sends no POSIX signals to another process; TheEndOfStandardInputStopsItWhenAsked covers a Windows host.";

    private readonly string _folder = Directory.CreateTempSubdirectory("qlikqrs-stop-").FullName;

    private string Certificates => Path.Combine(_folder, "certs");

    /// <summary>The sandbox's temporary folder (TMPDIR), so that a test sees what it leaves behind.</summary>
    private string Temporary => Path.Combine(_folder, "tmp");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [UnixTheory(NoSignalsOnWindows)]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task ASignalCutsOffRequestsInFlightClosesTheListenerAndRemovesTheTemporaryFolder(string signal)
    {
        await using SandboxProcess sandbox = await SandboxProcess.StartAsync(Temporary, "--certs", Certificates);
        // Started in the background a sandbox often has nothing on standard input: without the option, no reason to stop.
        sandbox.CloseStandardInput();
        using QmcCertificateSet certificates = QmcCertificateSet.LoadOrMint(Certificates, "localhost");
        using var client = new QrsTestClient(certificates, sandbox.BaseAddress);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
        Assert.Single(Directory.GetDirectories(Temporary, "qlikqrs-sandbox-content-*"));
        Task<(int, string)> inFlight = await StartARequestThatWaits(client);

        await sandbox.SignalAsync(signal);
        var (exited, exitCode, output) = await sandbox.WaitForExitAsync(StopBound);

        Assert.True(exited, $"The sandbox was still running {StopBound.TotalSeconds} s after SIG{signal}: {output}");
        Assert.Equal(0, exitCode);
        Assert.Contains("QRS sandbox stopped.", output);
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
        await AssertNothingListens(sandbox.BaseAddress);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temporary));
    }

    [UnixFact(NoSignalsOnWindows)]
    public async Task SigtermSavesTheDataFolderForTheNextStart()
    {
        string data = Path.Combine(_folder, "data");
        string tagId;
        await using (SandboxProcess sandbox = await SandboxProcess.StartAsync(Temporary, "--certs", Certificates, "--data", data))
        {
            using QmcCertificateSet certificates = QmcCertificateSet.LoadOrMint(Certificates, "localhost");
            using var client = new QrsTestClient(certificates, sandbox.BaseAddress);
            tagId = (string)(await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "made before the stop" }, 201))["id"]!;

            await sandbox.SignalAsync("TERM");
            var (exited, exitCode, output) = await sandbox.WaitForExitAsync(StopBound);

            Assert.True(exited, $"The sandbox was still running {StopBound.TotalSeconds} s after SIGTERM: {output}");
            Assert.Equal(0, exitCode);
            await AssertNothingListens(sandbox.BaseAddress);
        }

        Assert.True(File.Exists(Path.Combine(data, "entities.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temporary));
        await using SandboxServer restarted = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = Certificates, DataFolder = data });
        using var again = new QrsTestClient(restarted, "INTERNAL", "sa_api");
        Assert.Equal("made before the stop", (string?)(await again.GetJsonAsync($"qrs/tag/{tagId}"))["name"]);
    }

    [Fact]
    public async Task TheEndOfStandardInputStopsItWhenAsked()
    {
        await using SandboxProcess sandbox = await SandboxProcess.StartAsync(Temporary, "--certs", Certificates, "--stop-on-stdin-close");
        using QmcCertificateSet certificates = QmcCertificateSet.LoadOrMint(Certificates, "localhost");
        using var client = new QrsTestClient(certificates, sandbox.BaseAddress);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/about")).Status);
        Assert.Single(Directory.GetDirectories(Temporary, "qlikqrs-sandbox-content-*"));

        sandbox.CloseStandardInput();
        var (exited, exitCode, output) = await sandbox.WaitForExitAsync(StopBound);

        Assert.True(exited, $"The sandbox was still running {StopBound.TotalSeconds} s after its standard input ended: {output}");
        Assert.Equal(0, exitCode);
        await AssertNothingListens(sandbox.BaseAddress);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temporary));
    }

    /// <summary>Sends a call that the sandbox holds for 30 seconds, and returns once the sandbox has it.</summary>
    private static async Task<Task<(int, string)>> StartARequestThatWaits(QrsTestClient client)
    {
        using var latency = new StringContent("{\"latencyMilliseconds\": 30000}", Encoding.UTF8, "application/json");
        Assert.Equal(204, (int)(await client.Http.PostAsync("sandbox/faults", latency)).StatusCode);
        Task<(int, string)> inFlight = client.SendAsync(HttpMethod.Get, "qrs/about/api/enums");
        while (!JsonNode.Parse(await client.Http.GetStringAsync("sandbox/requests"))!.AsArray().Any(r => (string?)r!["path"] == "/qrs/about/api/enums"))
        {
            Assert.False(inFlight.IsCompleted, "The held call ended before the stop.");
        }

        return inFlight;
    }

    private static async Task AssertNothingListens(Uri address)
    {
        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(address.Host, address.Port));
    }
}
