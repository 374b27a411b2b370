using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class StreamingTests
{
    /// <summary>
    /// With 100,000 users the full list is tens of megabytes. The client reads the first 64 KB and stops: a server
    /// that streams is then held back by the transport, having rendered only a window of the list, while one that
    /// serialises the list first would already hold all of it in memory.
    /// </summary>
    [Fact]
    public async Task AHundredThousandUsersAreStreamedNotBuffered()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-stream-").FullName;
        await using SandboxServer server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = folder });
        SandboxSeeder.Seed(server.Store, new SeedSpec(Users: 100_000));
        using var client = new QrsTestClient(server, "INTERNAL", "sa_api");

        long before = SettledMemory();
        using HttpResponseMessage response = await client.Http.SendAsync(client.Request(HttpMethod.Get, "qrs/user/full"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long read = 0;
        while (read < buffer.Length)
        {
            int n = await body.ReadAsync(buffer.AsMemory((int)read));
            Assert.True(n > 0, "The list ended before 64 KB.");
            read += n;
        }

        Assert.Equal((byte)'[', buffer[0]);
        await Task.Delay(500);
        long growthWhileHeldBack = SettledMemory() - before;

        while (true)
        {
            int n = await body.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Assert.True(read > 20_000_000, $"The list was only {read:N0} bytes; the memory bound below would prove nothing.");
        Assert.True(growthWhileHeldBack < read / 4, $"Memory grew by {growthWhileHeldBack:N0} bytes while the client held back a {read:N0}-byte list.");
        Directory.Delete(folder, recursive: true);
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
