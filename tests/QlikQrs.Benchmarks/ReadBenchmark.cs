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
/// Reads /qrs/user/full from a sandbox seeded with many users, in one run: (a) raw HttpClient and System.Text.Json
/// streaming into the model, the limit; (b) Get-QrsEntity -Type User -Full in the PowerShell engine, piped to a
/// counter, in a new session (import and connect included); (b1) the same read in a session already connected;
/// (c) like (a) but the answer buffered whole before it is converted. Prints the ratios b1/a and b/a (best of five
/// alternating rounds each, after warm-up) and c/a, b's time to the first object, and each one's peak memory growth.
/// </summary>
public static class ReadBenchmark
{
    private const int Rounds = 5;

    // Another build cannot share this process with this one (PowerShell caches cmdlet metadata by type name), so the
    // two are compared in pwsh processes of their own, in turns: each warms up, then prints its best read.
    private const string PwshReadScript = """
        param($Manifest, $Port, $Certificates, $Rounds)
        Import-Module $Manifest
        $null = Connect-QrsServer -ComputerName localhost -Port $Port -CertificatePath $Certificates -Timeout 600
        $best = [double]::MaxValue
        foreach ($round in 1..(3 + $Rounds)) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $null = Get-QrsEntity -Type User -Full | Measure-Object
            if ($round -gt 3) { $best = [Math]::Min($best, $clock.Elapsed.TotalMilliseconds) }
        }
        $best.ToString([cultureinfo]::InvariantCulture)
        """;

    private static readonly JsonSerializerOptions s_options = new() { PropertyNameCaseInsensitive = true };

    public static async Task RunAsync(int users, string? otherManifest)
    {
        await using BenchSandbox sandbox = await BenchSandbox.StartAsync(new SeedSpec(Users: users));
        Console.WriteLine($"read: sandbox on {sandbox.Server.BaseAddress} with {users:N0} users.");
        using HttpClient http = sandbox.RawClient();

        // Warm both sides alike, more than once: the runtime compiles hot code again, optimised, only after it has run
        // a while, and the module reads through other code than the raw read (source-generated metadata, its client).
        using Runspace session = sandbox.ModuleRunspace(new SessionStateCmdletEntry("Measure-Received", typeof(MeasureReceivedCommand), null));
        for (int warm = 0; warm < 3; warm++)
        {
            await Raw(http, buffered: false);
            Module(sandbox, "Measure-Received", out _);
            Read(session, out _);
        }

        // Rounds of a, b and b1, best of each: a load that comes and goes on the machine touches all alike, and on a
        // shared 2-core machine it moves single runs by a third either way.
        TimeSpan firstObject = TimeSpan.Zero;
        (TimeSpan Elapsed, MemoryGrowth Growth) a = default, b = default, b1 = default;
        for (int round = 0; round < Rounds; round++)
        {
            var rawRound = await Measure("a  raw HttpClient + System.Text.Json, streamed", () => Raw(http, buffered: false));
            var moduleRound = await Measure("b  new session: Get-QrsEntity -Type User -Full | counter", () => Task.FromResult(Module(sandbox, "Measure-Received", out firstObject)));
            var readRound = await Measure("b1 the same read in a connected session", () => Task.FromResult(Read(session, out _)));
            a = round == 0 || rawRound.Elapsed < a.Elapsed ? rawRound : a;
            b = round == 0 || moduleRound.Elapsed < b.Elapsed ? moduleRound : b;
            b1 = round == 0 || readRound.Elapsed < b1.Elapsed ? readRound : b1;
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
            async Task<long> ReadThroughClient()
            {
                long count = 0;
                await foreach (QlikQrs.Model.User _ in connection.Client.ListAsync<QlikQrs.Model.User>())
                {
                    count++;
                }

                return count;
            }

            // Once to warm: the first read on a new connection pays for its handshake and the code's first runs.
            await ReadThroughClient();
            await Measure("d  QrsClient.ListAsync<User> (full), no PowerShell", ReadThroughClient);
        }

        // The same read into a script block run for every object: what PowerShell itself adds per object.
        await Measure("b' Get-QrsEntity -Type User -Full | ForEach-Object", () => Task.FromResult(Module(sandbox, "ForEach-Object", out _)));

        Console.WriteLine($"b1/a wall time  {b1.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}   (target <= 1.1, best of {Rounds} each): the read in a connected session");
        Console.WriteLine($"b/a wall time   {b.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}   a new session's read, its start included");
        Console.WriteLine($"b's start       {start.TotalMilliseconds,6:0} ms (runspace, import, connect; best of 3)");
        if (otherManifest is not null)
        {
            Console.WriteLine($"this build / the other  {AgainstOtherBuild(sandbox, otherManifest),6:0.00}   the read in a connected pwsh of each, best of {Rounds}, in turns ({otherManifest})");
        }

        Console.WriteLine($"c/a wall time   {c.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}");
        Console.WriteLine($"b first object  {firstObject.TotalMilliseconds,6:0} ms (target < 200 ms)");
        Console.WriteLine($"peak managed growth  a {a.Growth.Managed / 1e6:0} MB   b {b.Growth.Managed / 1e6:0} MB (target < 150 MB)   c {c.Growth.Managed / 1e6:0} MB");
        Console.WriteLine();
    }

    private static double AgainstOtherBuild(BenchSandbox sandbox, string otherManifest)
    {
        string script = Path.Combine(sandbox.Folder, "read-module.ps1");
        File.WriteAllText(script, PwshReadScript);
        string[] Arguments(string manifest) => new[]
        {
            "-File", script, Path.GetFullPath(manifest), sandbox.Server.Port.ToString(CultureInfo.InvariantCulture), sandbox.Server.CertificatesFolder,
            Rounds.ToString(CultureInfo.InvariantCulture),
        };

        double ours = double.MaxValue, theirs = double.MaxValue;
        for (int turn = 0; turn < 3; turn++)
        {
            ours = Math.Min(ours, Bench.Pwsh(Bench.Repository, Arguments(Bench.Manifest))[0]);
            theirs = Math.Min(theirs, Bench.Pwsh(Bench.Repository, Arguments(otherManifest))[0]);
            Console.WriteLine($"pwsh read, best so far: this build {ours:0} ms, the other {theirs:0} ms");
        }

        return ours / theirs;
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
        return consumer == "Measure-Received" ? Read(runspace, out firstObject) : ReadEach(runspace, out firstObject);
    }

    /// <summary>The read in a session already connected, as an administrator at the prompt runs it again and again.</summary>
    private static long Read(Runspace runspace, out TimeSpan firstObject) => Counted(Bench.Invoke(runspace, "Get-QrsEntity -Type User -Full | Measure-Received"), out firstObject);

    private static long ReadEach(Runspace runspace, out TimeSpan firstObject) => Counted(Bench.Invoke(runspace, """
        $count = 0; $first = $null; $start = [DateTime]::UtcNow
        Get-QrsEntity -Type User -Full | ForEach-Object { if ($count++ -eq 0) { $first = [DateTime]::UtcNow - $start } }
        $count; $first
        """), out firstObject);

    private static long Counted(System.Collections.ObjectModel.Collection<PSObject> output, out TimeSpan firstObject)
    {
        firstObject = (TimeSpan)output[1].BaseObject;
        return Convert.ToInt64(output[0].BaseObject, CultureInfo.InvariantCulture);
    }

    private static async Task<(TimeSpan Elapsed, MemoryGrowth Growth)> Measure(string name, Func<Task<long>> run)
    {
        using var watch = new MemoryWatch();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long count = await run();
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        MemoryGrowth growth = watch.Stop();
        Console.WriteLine($"{name,-56} {count,8:N0} users  {clock.Elapsed.TotalMilliseconds,6:0} ms  cpu {cpu.TotalMilliseconds,6:0} ms  peak growth {growth}");
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
