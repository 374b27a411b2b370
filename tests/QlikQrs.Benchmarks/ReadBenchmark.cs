using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using QlikQrs;
using QlikQrs.Http;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Benchmarks;

/// <summary>
/// Reads /qrs/user/full from a sandbox seeded with many users three ways, in one run: (a) raw HttpClient and
/// System.Text.Json streaming into the model, the limit; (b) Get-QrsEntity -Type User -Full in the PowerShell engine,
/// piped to a counter; (c) like (a) but the answer buffered whole before it is converted. Prints the ratios b/a (best of
/// three alternating rounds each) and c/a, b's time to the first object, and each one's peak memory growth.
/// </summary>
public static class ReadBenchmark
{
    private static readonly JsonSerializerOptions s_options = new() { PropertyNameCaseInsensitive = true };

    public static async Task RunAsync(int users)
    {
        await using BenchSandbox sandbox = await BenchSandbox.StartAsync(new SeedSpec(Users: users));
        Console.WriteLine($"read: sandbox on {sandbox.Server.BaseAddress} with {users:N0} users.");
        using HttpClient http = sandbox.RawClient();

        await Raw(http, buffered: false);
        TimeSpan firstObject = TimeSpan.Zero;
        // Warm both sides alike: the raw read ran once above; the module's first run pays for JIT and metadata.
        Module(sandbox, "Measure-Received", out _);

        // Rounds of a then b, best of each: a load that comes and goes on the machine touches both alike.
        (TimeSpan Elapsed, MemoryGrowth Growth) a = default, b = default;
        for (int round = 0; round < 3; round++)
        {
            var rawRound = await Measure("a  raw HttpClient + System.Text.Json, streamed", () => Raw(http, buffered: false));
            var moduleRound = await Measure("b  Get-QrsEntity -Type User -Full | counter", () => Task.FromResult(Module(sandbox, "Measure-Received", out firstObject)));
            a = round == 0 || rawRound.Elapsed < a.Elapsed ? rawRound : a;
            b = round == 0 || moduleRound.Elapsed < b.Elapsed ? moduleRound : b;
        }

        // What of b is the session's start rather than the read: a new runspace, Import-Module, Connect-QrsServer.
        TimeSpan start = Enumerable.Range(0, 3).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            sandbox.ModuleRunspace().Dispose();
            return clock.Elapsed;
        }).Min();

        var c = await Measure("c  raw, buffered whole first", () => Raw(http, buffered: true));
        // The module's own client without PowerShell: what b adds beyond it is the engine's pipeline.
        using (QrsConnection connection = QrsConnection.Open("localhost", QrsCertificate.FromFolder(sandbox.Server.CertificatesFolder), sandbox.Server.Port))
        {
            await Measure("d  QrsClient.ListAsync<User> (full), no PowerShell", async () =>
            {
                long count = 0;
                await foreach (QlikQrs.Model.User _ in connection.Client.ListAsync<QlikQrs.Model.User>())
                {
                    count++;
                }

                return count;
            });
        }

        // The same read into a script block run for every object: what PowerShell itself adds per object.
        await Measure("b' Get-QrsEntity -Type User -Full | ForEach-Object", () => Task.FromResult(Module(sandbox, "ForEach-Object", out _)));

        Console.WriteLine($"b/a wall time   {b.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}   (target <= 1.1, best of 3 each)");
        Console.WriteLine($"b's start       {start.TotalMilliseconds,6:0} ms (runspace, import, connect; best of 3): the read alone is b/a {(b.Elapsed - start).TotalMilliseconds / a.Elapsed.TotalMilliseconds:0.00}");
        Console.WriteLine($"c/a wall time   {c.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}");
        Console.WriteLine($"b first object  {firstObject.TotalMilliseconds,6:0} ms (target < 200 ms)");
        Console.WriteLine($"peak managed growth  a {a.Growth.Managed / 1e6:0} MB   b {b.Growth.Managed / 1e6:0} MB (target < 150 MB)   c {c.Growth.Managed / 1e6:0} MB");
        Console.WriteLine();
    }

    private static async Task<long> Raw(HttpClient http, bool buffered)
    {
        using HttpRequestMessage request = Bench.Request(HttpMethod.Get, "qrs/user/full");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        long count = 0;
        if (buffered)
        {
            string text = await response.Content.ReadAsStringAsync();
            count = JsonSerializer.Deserialize<List<QlikQrs.Model.User>>(text, s_options)!.Count;
        }
        else
        {
            await using Stream body = await response.Content.ReadAsStreamAsync();
            await foreach (QlikQrs.Model.User? _ in JsonSerializer.DeserializeAsyncEnumerable<QlikQrs.Model.User>(body, s_options))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The read in a new runspace, as a user's new session would run it: import and connect included.</summary>
    private static long Module(BenchSandbox sandbox, string consumer, out TimeSpan firstObject)
    {
        using Runspace runspace = sandbox.ModuleRunspace(new SessionStateCmdletEntry("Measure-Received", typeof(MeasureReceivedCommand), null));
        var output = Bench.Invoke(runspace, consumer == "Measure-Received"
            ? "Get-QrsEntity -Type User -Full | Measure-Received"
            : """
            $count = 0; $first = $null; $start = [DateTime]::UtcNow
            Get-QrsEntity -Type User -Full | ForEach-Object { if ($count++ -eq 0) { $first = [DateTime]::UtcNow - $start } }
            $count; $first
            """);
        firstObject = (TimeSpan)output[1].BaseObject;
        return Convert.ToInt64(output[0].BaseObject, CultureInfo.InvariantCulture);
    }

    private static async Task<(TimeSpan Elapsed, MemoryGrowth Growth)> Measure(string name, Func<Task<long>> run)
    {
        using var watch = new MemoryWatch();
        var clock = Stopwatch.StartNew();
        long count = await run();
        clock.Stop();
        MemoryGrowth growth = watch.Stop();
        Console.WriteLine($"{name,-50} {count,8:N0} users  {clock.Elapsed.TotalMilliseconds,8:0} ms  peak growth {growth}");
        return (clock.Elapsed, growth);
    }
}

/// <summary>
/// The counter at the end of the measured pipeline, compiled like Measure-Object (which the hosted engine lacks):
/// counts what it receives and notes when the first object came.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Received")]
public sealed class MeasureReceivedCommand : PSCmdlet
{
    private readonly Stopwatch _clock = new();
    private long _count;
    private TimeSpan _first;

    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    protected override void BeginProcessing() => _clock.Start();

    protected override void ProcessRecord()
    {
        if (_count++ == 0)
        {
            _first = _clock.Elapsed;
        }
    }

    protected override void EndProcessing()
    {
        WriteObject(_count);
        WriteObject(_first);
    }
}
