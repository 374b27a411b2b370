using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Benchmarks;

/// <summary>
/// Reads /qrs/user/full from a sandbox seeded with many users three ways, in one run: (a) raw HttpClient and
/// System.Text.Json streaming into the model, the limit; (b) Get-QrsEntity -Type User -Full in the PowerShell engine,
/// piped to a counter; (c) like (a) but the answer buffered whole before it is converted. Prints the ratios b/a and
/// c/a, b's time to the first object, and each one's peak memory growth, against the targets of issue 6.
/// </summary>
public static class Program
{
    private static readonly JsonSerializerOptions s_options = new() { PropertyNameCaseInsensitive = true };

    public static async Task<int> Main(string[] args)
    {
        int users = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        string folder = Directory.CreateTempSubdirectory("qlikqrs-bench-").FullName;
        await using SandboxServer server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = folder });
        SandboxSeeder.Seed(server.Store, new SeedSpec(Users: users));
        Console.WriteLine($"Sandbox on {server.BaseAddress} with {users:N0} users.");
        using HttpClient http = Client(server);

        await Raw(http, buffered: false);
        var a = await Measure("a  raw HttpClient + System.Text.Json, streamed", () => Raw(http, buffered: false));
        var c = await Measure("c  raw, buffered whole first", () => Raw(http, buffered: true));
        string manifest = FindManifest();
        TimeSpan firstObject = TimeSpan.Zero;
        // Warm both sides alike: the raw read ran once above; the module's first run pays for JIT and metadata.
        Module(server, folder, manifest, "Measure-Received", out _);
        var b = await Measure("b  Get-QrsEntity -Type User -Full | counter", () => Task.FromResult(Module(server, folder, manifest, "Measure-Received", out firstObject)));
        // The same read into a script block run for every object: what PowerShell itself adds per object.
        await Measure("b' Get-QrsEntity -Type User -Full | ForEach-Object", () => Task.FromResult(Module(server, folder, manifest, "ForEach-Object", out _)));

        Console.WriteLine();
        Console.WriteLine($"b/a wall time   {b.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}   (target <= 1.3)");
        Console.WriteLine($"c/a wall time   {c.Elapsed.TotalMilliseconds / a.Elapsed.TotalMilliseconds,6:0.00}");
        Console.WriteLine($"b first object  {firstObject.TotalMilliseconds,6:0} ms (target < 200 ms)");
        Console.WriteLine($"peak growth     a {a.PeakGrowth / 1e6,6:0} MB   b {b.PeakGrowth / 1e6,6:0} MB (target < 150 MB)   c {c.PeakGrowth / 1e6,6:0} MB");
        return 0;
    }

    private static async Task<long> Raw(HttpClient http, bool buffered)
    {
        using HttpRequestMessage request = Request("qrs/user/full");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        long count = 0;
        if (buffered)
        {
            string text = await response.Content.ReadAsStringAsync();
            count = JsonSerializer.Deserialize<System.Collections.Generic.List<QlikQrs.Model.User>>(text, s_options)!.Count;
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

    private static long Module(SandboxServer server, string certificates, string manifest, string consumer, out TimeSpan firstObject)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Measure-Received", typeof(MeasureReceivedCommand), null));
        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using (PowerShell setup = PowerShell.Create(runspace))
        {
            setup.AddScript("Import-Module $args[0]; Connect-QrsServer -ComputerName localhost -Port $args[1] -CertificatePath $args[2]")
                .AddArgument(manifest).AddArgument(server.Port).AddArgument(certificates).Invoke();
        }

        using PowerShell shell = PowerShell.Create(runspace);
        shell.AddScript(consumer == "Measure-Received"
            ? "Get-QrsEntity -Type User -Full | Measure-Received"
            : """
            $count = 0; $first = $null; $start = [DateTime]::UtcNow
            Get-QrsEntity -Type User -Full | ForEach-Object { if ($count++ -eq 0) { $first = [DateTime]::UtcNow - $start } }
            $count; $first
            """);
        var output = shell.Invoke();
        firstObject = (TimeSpan)output[1].BaseObject;
        return Convert.ToInt64(output[0].BaseObject, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(TimeSpan Elapsed, long PeakGrowth)> Measure(string name, Func<Task<long>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = GC.GetTotalMemory(true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(5);
            }
        });
        var clock = Stopwatch.StartNew();
        long count = await run();
        clock.Stop();
        sampling.Cancel();
        await sampler;
        Console.WriteLine($"{name,-50} {count,8:N0} users  {clock.Elapsed.TotalMilliseconds,8:0} ms  peak growth {(peak - baseline) / 1e6,6:0} MB");
        return (clock.Elapsed, peak - baseline);
    }

    private static HttpClient Client(SandboxServer server)
    {
        X509Certificate2 root = server.Certificates.Root;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { server.Certificates.Client },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate!));
                },
            },
        };
        var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Qlik-User", "UserDirectory=INTERNAL; UserId=sa_api");
        return http;
    }

    private static HttpRequestMessage Request(string path)
    {
        const string key = "0123456789abcdef";
        var request = new HttpRequestMessage(HttpMethod.Get, path + "?xrfkey=" + key);
        request.Headers.Add("X-Qlik-Xrfkey", key);
        return request;
    }

    private static string FindManifest()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string outFolder = Path.Combine(dir.FullName, "out", "QlikQrs");
            if (Directory.Exists(outFolder))
            {
                foreach (string version in Directory.GetDirectories(outFolder))
                {
                    return Path.Combine(version, "QlikQrs.psd1");
                }
            }
        }

        throw new InvalidOperationException("Build the module first: dotnet build src/QlikQrs/QlikQrs.csproj");
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
