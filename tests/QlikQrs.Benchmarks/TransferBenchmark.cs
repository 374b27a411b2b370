using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Benchmarks;

/// <summary>
/// One large app file up and back down, a few times each way: through Import-QrsApp and Export-QrsApp in the PowerShell
/// engine, and as a raw HttpClient stream copy of the same QRS calls (upload; export, download, export removed) to
/// the same sandbox. Prints each one's throughput and this process's memory growth while it ran, and the ratios.
/// An export's time includes the sandbox copying the app for it before it answers, the same for both sides, so the
/// download alone is timed too: for the module from its first progress record (written as the first bytes arrive).
/// The sandbox runs in this process, so its own buffers are in both sides' growth.
/// </summary>
public static class TransferBenchmark
{
    private const string AppContentType = "application/vnd.qlik.sense.app";
    private const int Rounds = 3;

    public static async Task RunAsync(long size)
    {
        await using BenchSandbox sandbox = await BenchSandbox.StartAsync(new SeedSpec(Users: 1));
        Console.WriteLine($"transfer: sandbox on {sandbox.Server.BaseAddress}; a file of {size:N0} bytes, {Rounds} rounds each way.");
        string source = Path.Combine(sandbox.Folder, "Large.qvf");
        using (var file = new FileStream(source, FileMode.CreateNew, FileAccess.Write))
        {
            // Sparse: reading it costs the disk nothing, so the upload measures the transfer.
            file.SetLength(size);
        }

        string small = Path.Combine(sandbox.Folder, "Small.qvf");
        File.WriteAllBytes(small, new byte[1 << 20]);
        string back = Path.Combine(sandbox.Folder, "Back.qvf");
        using HttpClient http = sandbox.RawClient();
        using Runspace runspace = sandbox.ModuleRunspace();

        var sides = new Dictionary<string, (Func<string, Task<Guid>> Upload, Func<Guid, Task<double>> Export)>
        {
            ["raw"] = (path => RawUpload(http, path), id => RawExport(http, id, back)),
            ["module"] = (path => Task.FromResult(ModuleUpload(runspace, path)), id => Task.Run(() => ModuleExport(runspace, id, back))),
        };

        // Both sides once with a small file: what is measured after is moving bytes, not loading and compiling code.
        foreach (var side in sides.Values)
        {
            Guid id = await side.Upload(small);
            await side.Export(id);
            await RawDelete(http, id);
            File.Delete(back);
        }

        var results = new List<(string Side, string Way, double Seconds, MemoryGrowth Growth)>();
        var downloads = new List<(string Side, double Seconds)>();
        // raw, module, then module, raw: neither side always goes first.
        string[] order = Enumerable.Range(0, Rounds).SelectMany(round => round % 2 == 0 ? new[] { "raw", "module" } : new[] { "module", "raw" }).ToArray();
        foreach (string side in order)
        {
            Bench.FlushDisk();
            (double up, MemoryGrowth upGrowth, Guid id) = await Timed(() => sides[side].Upload(source));
            results.Add((side, "upload", up, upGrowth));
            Report(side, "upload", size, up, upGrowth);

            Bench.FlushDisk();
            double download = 0;
            (double export, MemoryGrowth exportGrowth, _) = await Timed(async () => { download = await sides[side].Export(id); return id; });
            results.Add((side, "export", export, exportGrowth));
            downloads.Add((side, download));
            Report(side, "export", size, export, exportGrowth);
            Console.WriteLine($"  {side,-6} download {download,6:0.0} s  {size / download / 1e6,6:0} MB/s  (of the export above)");
            if (new FileInfo(back).Length != size)
            {
                throw new InvalidOperationException($"The {side} export wrote {new FileInfo(back).Length:N0} bytes, not {size:N0}.");
            }

            await RawDelete(http, id);
            File.Delete(back);
        }

        Console.WriteLine($"download alone: module/raw throughput {downloads.Where(d => d.Side == "raw").Min(d => d.Seconds) / downloads.Where(d => d.Side == "module").Min(d => d.Seconds),5:0.00} (best of {Rounds} each)");
        foreach (string way in new[] { "upload", "export" })
        {
            double raw = results.Where(r => r.Side == "raw" && r.Way == way).Min(r => r.Seconds);
            double module = results.Where(r => r.Side == "module" && r.Way == way).Min(r => r.Seconds);
            long growth = results.Where(r => r.Side == "module" && r.Way == way).Max(r => r.Growth.WorkingSet);
            long managed = results.Where(r => r.Side == "module" && r.Way == way).Max(r => r.Growth.Managed);
            Console.WriteLine($"{way}: module/raw throughput {raw / module,5:0.00} (target >= 0.8, best of {Rounds} each);" +
                $" module's highest growth: working set {growth / 1e6:0} MB, managed {managed / 1e6:0} MB (target < 64 MB)");
        }

        Console.WriteLine();
    }

    private static void Report(string side, string way, long size, double seconds, MemoryGrowth growth) =>
        Console.WriteLine($"  {side,-6} {way}  {seconds,6:0.0} s  {size / seconds / 1e6,6:0} MB/s  peak growth {growth}");

    private static async Task<(double Seconds, MemoryGrowth Growth, Guid Id)> Timed(Func<Task<Guid>> run)
    {
        using var watch = new MemoryWatch();
        var clock = Stopwatch.StartNew();
        Guid id = await run();
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, watch.Stop(), id);
    }

    private static Guid ModuleUpload(Runspace runspace, string path) =>
        (Guid)Bench.Invoke(runspace, "(Import-QrsApp -Path $args[0] -Name 'Large' -Confirm:$false).Id", path)[0].BaseObject;

    /// <summary>Exports through the module; returns the seconds from its first progress record (the download started) to the end.</summary>
    private static double ModuleExport(Runspace runspace, Guid id, string path)
    {
        using PowerShell shell = PowerShell.Create(runspace);
        shell.AddScript("$null = Export-QrsApp -App $args[0] -Path $args[1] -Force").AddArgument(id).AddArgument(path);
        var clock = Stopwatch.StartNew();
        TimeSpan? started = null;
        shell.Streams.Progress.DataAdded += (_, _) => started ??= clock.Elapsed;
        shell.Invoke();
        if (shell.Streams.Error.Count > 0 || started is null)
        {
            throw new InvalidOperationException("Export-QrsApp failed: " + string.Join(" | ", shell.Streams.Error));
        }

        return (clock.Elapsed - started.Value).TotalSeconds;
    }

    private static async Task<Guid> RawUpload(HttpClient http, string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        using HttpRequestMessage request = Bench.Request(HttpMethod.Post, "qrs/app/upload?name=Large");
        request.Content = new StreamContent(file, 81920);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(AppContentType);
        request.Content.Headers.ContentLength = file.Length;
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return Guid.Parse((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
    }

    /// <summary>What Export-QrsApp asks of QRS, without anything around it: export, download once, remove the export; returns the download's seconds.</summary>
    private static async Task<double> RawExport(HttpClient http, Guid id, string path)
    {
        var token = Guid.NewGuid();
        string downloadPath;
        using (HttpRequestMessage export = Bench.Request(HttpMethod.Post, $"qrs/app/{id}/export/{token}"))
        using (HttpResponseMessage answer = await http.SendAsync(export))
        {
            answer.EnsureSuccessStatusCode();
            downloadPath = (string)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["downloadPath"]!;
        }

        var clock = Stopwatch.StartNew();
        using (HttpRequestMessage get = Bench.Request(HttpMethod.Get, downloadPath.TrimStart('/')))
        using (HttpResponseMessage response = await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using Stream body = await response.Content.ReadAsStreamAsync();
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await body.CopyToAsync(file, 81920);
        }

        double download = clock.Elapsed.TotalSeconds;
        using HttpRequestMessage forget = Bench.Request(HttpMethod.Delete, $"qrs/app/{id}/export/{token}");
        (await http.SendAsync(forget)).Dispose();
        return download;
    }

    private static async Task RawDelete(HttpClient http, Guid id)
    {
        using HttpRequestMessage request = Bench.Request(HttpMethod.Delete, $"qrs/app/{id}");
        using HttpResponseMessage response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
