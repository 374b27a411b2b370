using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Benchmarks;

/// <summary>
/// A user's first minute: a fresh pwsh (the pinned .NET tool) imports the module, connects and makes a first call
/// (Get-QrsEntity -Type App -Full, there before and after the kit), timed inside the process from the first line of
/// the script, so pwsh's own start is left out. The baseline is the same first call made raw in a fresh pwsh:
/// Invoke-RestMethod with the client certificate. Given another build's manifest, that build runs alike, in turns.
/// </summary>
public static class ColdStartBenchmark
{
    private const string ModuleScript = """
        param($Manifest, $Port, $Certificates)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $Manifest
        $imported = $clock.Elapsed.TotalMilliseconds
        Connect-QrsServer -ComputerName localhost -Port $Port -CertificatePath $Certificates
        $connected = $clock.Elapsed.TotalMilliseconds
        $null = Get-QrsEntity -Type App -Full
        [string]::Format([cultureinfo]::InvariantCulture, '{0} {1} {2}', $imported, $connected, $clock.Elapsed.TotalMilliseconds)
        """;

    private const string RawScript = """
        param($Port, $Certificates)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile((Join-Path $Certificates client.pem), (Join-Path $Certificates client_key.pem))
        $headers = @{ 'X-Qlik-Xrfkey' = '0123456789abcdef'; 'X-Qlik-User' = 'UserDirectory=INTERNAL; UserId=sa_api' }
        $null = Invoke-RestMethod "https://localhost:$Port/qrs/app/full?xrfkey=0123456789abcdef" -Certificate $certificate -SkipCertificateCheck -Headers $headers
        $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)
        """;

    public static async Task RunAsync(int runs, string? otherManifest)
    {
        await using BenchSandbox sandbox = await BenchSandbox.StartAsync(new SeedSpec(Users: 30, Apps: 20, Streams: 3, Tags: 5));
        string repo = Bench.Repository;
        string moduleScript = Path.Combine(sandbox.Folder, "cold-module.ps1");
        string rawScript = Path.Combine(sandbox.Folder, "cold-raw.ps1");
        File.WriteAllText(moduleScript, ModuleScript);
        File.WriteAllText(rawScript, RawScript);
        string port = sandbox.Server.Port.ToString(CultureInfo.InvariantCulture);
        string certificates = sandbox.Server.CertificatesFolder;
        Console.WriteLine($"cold: sandbox on {sandbox.Server.BaseAddress}; {runs} fresh pwsh processes each, in turns.");

        var ways = new List<(string Name, string[] Arguments)>
        {
            ("module (this build)", new[] { "-File", moduleScript, Bench.Manifest, port, certificates }),
            ("raw Invoke-RestMethod", new[] { "-File", rawScript, port, certificates }),
        };
        if (otherManifest is not null)
        {
            ways.Add(("module (" + otherManifest + ")", new[] { "-File", moduleScript, Path.GetFullPath(otherManifest), port, certificates }));
        }

        // One of each first, untimed: the disk cache then holds pwsh and the module for every timed run alike.
        foreach (var way in ways)
        {
            Bench.Pwsh(repo, way.Arguments);
        }

        var times = ways.ToDictionary(w => w.Name, _ => new double[runs][]);
        for (int run = 0; run < runs; run++)
        {
            foreach (var way in run % 2 == 0 ? ways : Enumerable.Reverse(ways))
            {
                times[way.Name][run] = Bench.Pwsh(repo, way.Arguments);
            }
        }

        double Total(string way) => Bench.Median(times[way].Select(t => t[^1]).ToArray());
        double raw = Total("raw Invoke-RestMethod");
        foreach (var way in ways)
        {
            double median = Total(way.Name);
            string phases = times[way.Name][0].Length == 3
                ? $"  import {Bench.Median(times[way.Name].Select(t => t[0]).ToArray()):0}, connect {Bench.Median(times[way.Name].Select(t => t[1] - t[0]).ToArray()):0}, first call {Bench.Median(times[way.Name].Select(t => t[2] - t[1]).ToArray()):0} ms"
                : string.Empty;
            Console.WriteLine($"  {way.Name}: median {median:0} ms ({string.Join(", ", times[way.Name].Select(t => t[^1].ToString("0", CultureInfo.InvariantCulture)))}), {median / raw:0.00}x raw{phases}");
        }

        if (otherManifest is not null)
        {
            Console.WriteLine($"this build / the other: {Total(ways[0].Name) / Total(ways[2].Name):0.00}");
        }

        Console.WriteLine();
    }
}
