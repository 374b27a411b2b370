using System;
using System.IO;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox;

/// <summary>The sandbox's command line.</summary>
public static class Program
{
    private const string Usage = """
        QlikQrs.Sandbox [--port <4242>] [--certs <folder>] [--hostname <name>] [--proxy-port <port>] [--seed <spec>] [--data <folder>]
                        [--stop-on-stdin-close]
            Runs a QRS on https://localhost:<port>/qrs with mutual TLS (--port 0 picks a free port; the first line says
            which). The client certificates it accepts are in the certs folder (minted on first start, reused after;
            private keys readable by the owner only): Import-QrsCertificate -Path <folder>.
            --seed users=100000,apps=5000,streams=50,tasks=2000,tags=200 builds a realistic site, the same for the same
            spec; its streams are Finance, Sales, Supply, HR, Marketing, Operations, Risk, Logistics, Retail, Quality,
            then Finance 2 and on.
            --data keeps entities and files in <folder> across restarts; without it they live in a temporary folder.
            SIGTERM or Ctrl+C stops the sandbox: listeners closed, --data saved, the temporary folder removed, exit code 0.
            --stop-on-stdin-close also stops it when standard input ends, for hosts that cannot send signals; leave it
            off when standard input is /dev/null or NUL, or the sandbox stops at once.
            POST /sandbox/faults and /sandbox/seed (JSON, with the client certificate) inject faults and grow the site;
            GET /sandbox/requests lists the QRS calls it received, POST /sandbox/requests {"clear": true} empties that list.
            POST /sandbox/tasks {"name": "Reload task 0001", "succeed": false, "durationMilliseconds": 1500} sets how a
            task's next runs end; {"fireSchedules": true} fires every enabled schedule now.
            --proxy-port adds a proxy listener with the virtual proxy 'header' (header X-Qlik-HeaderAuth, directory HEADER).

        QlikQrs.Sandbox certificates --out <folder> [--hostname <name>] [--password <password>]
            Mints a QMC-shaped certificate set (root CN=<name>-CA, client CN=QlikClient, server CN=<name>) and writes
            it as both QMC exports: client.pem, client_key.pem, root.pem, server.pem, server_key.pem, client.pfx,
            root.cer, server.pfx. For test runbooks; never use these certificates for a real site.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return 0;
        }

        try
        {
            return args.Length > 0 && args[0] == "certificates" ? MintCertificates(args) : await Serve(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            return Fail(exception.Message);
        }
    }

    private static async Task<int> Serve(string[] args)
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(Environment.CurrentDirectory, "sandbox", "certs"), Port = 4242 };
        SeedSpec? seed = null;
        bool stopOnStdinClose = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (option == "--stop-on-stdin-close")
            {
                stopOnStdinClose = true;
                continue;
            }

            string value = ++i < args.Length ? args[i] : throw new ArgumentException($"{option} needs a value.");
            switch (option)
            {
                case "--port": options.Port = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--certs": options.CertificatesFolder = Path.GetFullPath(value); break;
                case "--hostname": options.HostName = value; break;
                case "--proxy-port": options.ProxyPort = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = SeedSpec.Parse(value); break;
                case "--data": options.DataFolder = Path.GetFullPath(value); break;
                default: throw new ArgumentException($"Unknown option '{option}'.");
            }
        }

        if (options.ProxyPort is not null)
        {
            options.VirtualProxies.Add(new VirtualProxy { Prefix = "header" });
        }

        // Registered before the start, so that a stop asked for while the sandbox starts still waits for it, then cleans up.
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stopRequested.TrySetResult();
        }

        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        if (stopOnStdinClose)
        {
            _ = StopAtEndOfInput(stopRequested);
        }

        SandboxServer server = await SandboxServer.StartAsync(options);
        try
        {
            if (seed is not null)
            {
                SandboxSeeder.Seed(server.Store, seed);
            }

            Console.WriteLine($"QRS sandbox listening on {server.BaseAddress}qrs (mutual TLS).");
            if (server.ProxyAddress is Uri proxy)
            {
                Console.WriteLine($"Proxy listener on {proxy}header/qrs (header X-Qlik-HeaderAuth).");
            }

            Console.WriteLine($"Client certificates: {server.CertificatesFolder} (Import-QrsCertificate -Path '{server.CertificatesFolder}').");
            Console.WriteLine(stopOnStdinClose ? "Press Ctrl+C or close standard input to stop." : "Press Ctrl+C to stop.");
            await stopRequested.Task;
        }
        finally
        {
            await server.DisposeAsync();
        }

        Console.WriteLine("QRS sandbox stopped.");
        return 0;
    }

    /// <summary>A host that cannot send signals (a Windows script, a test harness) says stop by closing our standard input.</summary>
    private static async Task StopAtEndOfInput(TaskCompletionSource stopRequested)
    {
        await using Stream input = Console.OpenStandardInput();
        var discarded = new byte[256];
        while (await input.ReadAsync(discarded) > 0)
        {
        }

        stopRequested.TrySetResult();
    }

    private static int MintCertificates(string[] args)
    {
        string? folder = null;
        string hostName = Environment.MachineName.ToLowerInvariant();
        string? password = null;
        for (int i = 1; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--out": folder = value; break;
                case "--hostname": hostName = value; break;
                case "--password": password = value; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }

            i++;
        }

        if (folder is null)
        {
            throw new ArgumentException("--out <folder> is required.");
        }

        using QmcCertificateSet set = QmcCertificateSet.Mint(hostName);
        set.WriteTo(folder, password);
        Console.WriteLine($"Wrote a QMC-shaped certificate set for '{hostName}' to {Path.GetFullPath(folder)} (root thumbprint {set.Root.Thumbprint}).");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
