using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Sandbox.Store;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Benchmarks;

/// <summary>
/// Many tags piped into Remove-QrsEntity -Confirm:$false with -ThrottleLimit 8 and with 1; beside it the same
/// deletes through the module's QrsClient without PowerShell, and from raw HttpClient, one at a time and eight at a
/// time. The raw ratio is what this machine and the sandbox allow at all, so a ratio short of the target can be told
/// apart from the module's doing; the client shows how much of the module's cost is its HTTP stack and how much is
/// PowerShell. Each run's CPU time tells whether it was bound by the processor or by waiting. A latency makes the
/// sandbox wait that long before each answer, as a QRS does while its repository works.
/// </summary>
public static class BulkBenchmark
{
    private const int Rounds = 2;
    private const int WarmUp = 5_000;

    private delegate Task<(double Seconds, double Cpu)> Way(int inFlight, int expected);

    public static async Task RunAsync(int tags, TimeSpan latency)
    {
        await using BenchSandbox sandbox = await BenchSandbox.StartAsync(new SeedSpec(Users: 1));
        Console.WriteLine($"bulk: sandbox on {sandbox.Server.BaseAddress}; {tags:N0} tags removed per run, {latency.TotalMilliseconds:0} ms added to every answer.");
        using HttpClient http = sandbox.RawClient();
        using Runspace runspace = sandbox.ModuleRunspace();
        using QrsConnection connection = QrsConnection.Open("localhost", QrsCertificate.FromFolder(sandbox.Server.CertificatesFolder), sandbox.Server.Port);
        var ways = new Dictionary<string, Way>
        {
            ["module"] = (inFlight, expected) => Task.FromResult(Module(runspace, inFlight, expected)),
            ["client"] = (inFlight, expected) => Client(connection.Client, inFlight, expected),
            ["raw"] = (inFlight, expected) => Raw(http, inFlight, expected),
        };
        int seed = 0;

        // Every way first with thousands of tags: what is measured after is removing, not compiling code (tiered
        // compilation needs many calls, and its background compiler is slow on a busy machine).
        foreach (Way way in ways.Values)
        {
            foreach (int inFlight in new[] { 1, 8 })
            {
                SandboxSeeder.Seed(sandbox.Server.Store, new SeedSpec(Tags: WarmUp, RandomSeed: ++seed));
                await way(inFlight, WarmUp);
            }
        }

        sandbox.Server.Faults.Latency = latency;
        var results = new Dictionary<(string Way, int InFlight), List<(double Seconds, double Cpu)>>();
        for (int round = 0; round < Rounds; round++)
        {
            foreach (var (name, way) in round % 2 == 0 ? ways.ToList() : ways.Reverse().ToList())
            {
                foreach (int inFlight in round % 2 == 0 ? new[] { 8, 1 } : new[] { 1, 8 })
                {
                    SandboxSeeder.Seed(sandbox.Server.Store, new SeedSpec(Tags: tags, RandomSeed: ++seed));
                    (double seconds, double cpu) = await way(inFlight, tags);
                    results.TryAdd((name, inFlight), new List<(double, double)>());
                    results[(name, inFlight)].Add((seconds, cpu));
                    Console.WriteLine($"  {name,-6} {inFlight} in flight  {seconds,6:0.00} s  {tags / seconds,6:0} deletes/s  {cpu * 1e6 / tags,4:0} µs CPU per delete  {cpu / seconds:0.0} cores busy");
                }
            }
        }

        double Best(string way, int inFlight) => results[(way, inFlight)].Min(r => r.Seconds);
        double Cpu(string way, int inFlight) => results[(way, inFlight)].Min(r => r.Cpu) * 1e6 / tags;
        Console.WriteLine($"module -ThrottleLimit 8 against 1: {Best("module", 1) / Best("module", 8),5:0.00}x faster (target >= 4)");
        Console.WriteLine($"client, 8 in flight against 1:     {Best("client", 1) / Best("client", 8),5:0.00}x faster");
        Console.WriteLine($"raw, 8 in flight against 1:        {Best("raw", 1) / Best("raw", 8),5:0.00}x faster (what the machine and the sandbox allow)");
        Console.WriteLine($"CPU per delete, 8 in flight:       module {Cpu("module", 8):0} µs, client {Cpu("client", 8):0} µs, raw {Cpu("raw", 8):0} µs (sandbox included in each)");
        Console.WriteLine();
    }

    /// <summary>Lists the tags, then times only their removal.</summary>
    private static (double Seconds, double Cpu) Module(Runspace runspace, int throttle, int expected)
    {
        int listed = Convert.ToInt32(Bench.Invoke(runspace, "$script:tags = @(Get-QrsEntity -Type Tag); $script:tags.Count")[0].BaseObject, CultureInfo.InvariantCulture);
        Expect(listed, expected);
        var clock = new Clock();
        Bench.Invoke(runspace, "$script:tags | Remove-QrsEntity -ThrottleLimit $args[0] -Confirm:$false", throttle);
        var measured = clock.Stop();
        Bench.Invoke(runspace, "$script:tags = $null");
        Expect((long)Bench.Invoke(runspace, "Get-QrsEntity -Type Tag -Count")[0].BaseObject, 0);
        return measured;
    }

    private static async Task<(double Seconds, double Cpu)> Client(QrsClient client, int inFlight, int expected)
    {
        var tags = new List<TagCondensed>();
        await foreach (TagCondensed tag in client.ListAsync<TagCondensed>())
        {
            tags.Add(tag);
        }

        Expect(tags.Count, expected);
        QrsEntityFamily family = QrsEntityFamily.Of(tags[0]);
        var clock = new Clock();
        await Parallel.ForEachAsync(tags, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (tag, cancellation) =>
            await client.DeleteAsync(family, tag.Id!.Value, cancellation));
        return clock.Stop();
    }

    private static async Task<(double Seconds, double Cpu)> Raw(HttpClient http, int inFlight, int expected)
    {
        Guid[] ids;
        using (HttpRequestMessage list = Bench.Request(HttpMethod.Get, "qrs/tag"))
        using (HttpResponseMessage response = await http.SendAsync(list))
        {
            ids = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(t => Guid.Parse((string)t!["id"]!)).ToArray();
        }

        Expect(ids.Length, expected);
        var clock = new Clock();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (id, cancellation) =>
        {
            using HttpRequestMessage delete = Bench.Request(HttpMethod.Delete, $"qrs/tag/{id}");
            using HttpResponseMessage response = await http.SendAsync(delete, cancellation);
            response.EnsureSuccessStatusCode();
        });
        return clock.Stop();
    }

    private static void Expect(long count, long expected)
    {
        if (count != expected)
        {
            throw new InvalidOperationException($"{count} tags were there, not {expected}.");
        }
    }

    /// <summary>A clock for one run: its seconds, and the CPU seconds this process (the client side and the sandbox) spent.</summary>
    private sealed class Clock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = ProcessCpu();

        public (double Seconds, double Cpu) Stop() => (_wall.Elapsed.TotalSeconds, (ProcessCpu() - _cpu).TotalSeconds);

        private static TimeSpan ProcessCpu()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }
}
