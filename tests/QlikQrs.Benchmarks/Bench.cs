using System;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Benchmarks;

/// <summary>A sandbox in this process, in a temporary folder of its own that goes with it.</summary>
public sealed class BenchSandbox : IAsyncDisposable
{
    private BenchSandbox(SandboxServer server, string folder)
    {
        Server = server;
        Folder = folder;
    }

    public SandboxServer Server { get; }

    /// <summary>A folder for the benchmark's own files, beside the certificates.</summary>
    public string Folder { get; }

    public static async Task<BenchSandbox> StartAsync(SeedSpec seed)
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-bench-").FullName;
        SandboxServer server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = Path.Combine(folder, "certs") });
        SandboxSeeder.Seed(server.Store, seed);
        return new BenchSandbox(server, folder);
    }

    /// <summary>The raw baseline: HttpClient with the client certificate and the sandbox's root, nothing else.</summary>
    public HttpClient RawClient()
    {
        X509Certificate2 root = Server.Certificates.Root;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { Server.Certificates.Client },
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
        var http = new HttpClient(handler) { BaseAddress = Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("X-Qlik-User", "UserDirectory=INTERNAL; UserId=sa_api");
        return http;
    }

    /// <summary>A runspace of the hosted engine with the staged module imported and connected to this sandbox.</summary>
    public Runspace ModuleRunspace(params SessionStateCmdletEntry[] extraCommands)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        foreach (SessionStateCmdletEntry command in extraCommands)
        {
            state.Commands.Add(command);
        }

        Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        Bench.Invoke(runspace, "Import-Module $args[0]; Connect-QrsServer -ComputerName localhost -Port $args[1] -CertificatePath $args[2] -Timeout 600",
            Bench.Manifest, Server.Port, Server.CertificatesFolder);
        return runspace;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>What the parts share: requests as QRS wants them, the staged module, the engine, memory and the disk.</summary>
public static class Bench
{
    private const string Xrfkey = "0123456789abcdef";

    public static string Manifest { get; } = FindManifest();

    /// <summary>The repository the staged module was built in: where `dotnet pwsh` finds its pinned tool.</summary>
    public static string Repository => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Manifest)!, "..", "..", ".."));

    /// <summary>A request with the xrfkey in the query (beside any query it already has) and in the header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "xrfkey=" + Xrfkey);
        request.Headers.Add("X-Qlik-Xrfkey", Xrfkey);
        return request;
    }

    /// <summary>Runs a script; fails the benchmark on any error, as a figure from a run that failed would be a lie.</summary>
    public static Collection<PSObject> Invoke(Runspace runspace, string script, params object[] arguments)
    {
        using PowerShell shell = PowerShell.Create(runspace);
        shell.AddScript(script);
        foreach (object argument in arguments)
        {
            shell.AddArgument(argument);
        }

        Collection<PSObject> output = shell.Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"{script}: {string.Join(" | ", shell.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
        }

        return output;
    }

    /// <summary>
    /// Writes what the page cache holds to disk (Linux), so that every transfer starts with the same clean cache and
    /// none pays for the writes of the one before.
    /// </summary>
    public static void FlushDisk()
    {
        if (OperatingSystem.IsLinux())
        {
            using Process sync = Process.Start("sync")!;
            sync.WaitForExit();
        }
    }

    /// <summary>Runs a script in a new `dotnet pwsh`; returns the milliseconds it printed on its last line (the total last).</summary>
    public static double[] Pwsh(string repo, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "pwsh", "-NoProfile", "-NonInteractive" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        double[] milliseconds = last.Split(' ').Select(t => double.TryParse(t, CultureInfo.InvariantCulture, out double ms) ? ms : double.NaN).ToArray();
        return process.ExitCode == 0 && error.Result.Length == 0 && !milliseconds.Any(double.IsNaN)
            ? milliseconds
            : throw new InvalidOperationException($"pwsh {string.Join(' ', arguments)} failed ({process.ExitCode}): {output} {error.Result}");
    }

    public static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
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

/// <summary>How far memory rose above where it started, at its highest.</summary>
public readonly record struct MemoryGrowth(long Managed, long WorkingSet)
{
    public override string ToString() => $"managed {Managed / 1e6,5:0} MB, working set {WorkingSet / 1e6,5:0} MB";
}

/// <summary>
/// Samples this process every 10 ms from the moment it is made: the highest managed heap (collected or not) and
/// working set, less what they were at the start, after a full collection.
/// </summary>
public sealed class MemoryWatch : IDisposable
{
    private readonly long _managedBaseline;
    private readonly long _workingSetBaseline;
    private readonly Thread _sampler;
    private volatile bool _stopping;
    private long _managedPeak;
    private long _workingSetPeak;

    public MemoryWatch()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _managedBaseline = _managedPeak = GC.GetTotalMemory(forceFullCollection: true);
        _workingSetBaseline = _workingSetPeak = WorkingSet();
        _sampler = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        _sampler.Start();
    }

    public MemoryGrowth Stop()
    {
        Dispose();
        return new MemoryGrowth(_managedPeak - _managedBaseline, _workingSetPeak - _workingSetBaseline);
    }

    public void Dispose()
    {
        _stopping = true;
        _sampler.Join();
    }

    private void Sample()
    {
        while (!_stopping)
        {
            _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
            _workingSetPeak = Math.Max(_workingSetPeak, WorkingSet());
            Thread.Sleep(10);
        }
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
