using System;
using System.IO;
using System.Globalization;
using System.Threading;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox;

/// <summary>The sandbox's command line.</summary>
public static class Program
{
    private const string Usage = """
        QlikQrs.Sandbox [--port <4242>] [--certs <folder>] [--hostname <name>] [--proxy-port <port>] [--seed <spec>] [--data <folder>]
            Runs a QRS on https://localhost:<port>/qrs with mutual TLS. The client certificates it accepts are in the
            certs folder (minted on first start, reused after): Import-QrsCertificate -Path <folder>.
            --seed users=100000,apps=5000,streams=50,tasks=2000,tags=200 builds a realistic site.
            --data keeps entities and files in <folder> across restarts.
            POST /sandbox/faults and /sandbox/seed (JSON, with the client certificate) inject faults and grow the site.
            --proxy-port adds a proxy listener with the virtual proxy 'header' (header X-Qlik-HeaderAuth, directory HEADER).

        QlikQrs.Sandbox certificates --out <folder> [--hostname <name>] [--password <password>]
            Mints a QMC-shaped certificate set (root CN=<name>-CA, client CN=QlikClient, server CN=<name>) and writes
            it as both QMC exports: client.pem, client_key.pem, root.pem, server.pem, server_key.pem, client.pfx,
            root.cer, server.pfx. For test runbooks; never use these certificates for a real site.
        """;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return 0;
        }

        try
        {
            return args.Length > 0 && args[0] == "certificates" ? MintCertificates(args) : Serve(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            return Fail(exception.Message);
        }
    }

    private static int Serve(string[] args)
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(Environment.CurrentDirectory, "sandbox", "certs"), Port = 4242 };
        SeedSpec? seed = null;
        for (int i = 0; i < args.Length; i += 2)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": options.Port = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--certs": options.CertificatesFolder = Path.GetFullPath(value); break;
                case "--hostname": options.HostName = value; break;
                case "--proxy-port": options.ProxyPort = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = SeedSpec.Parse(value); break;
                case "--data": options.DataFolder = Path.GetFullPath(value); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (options.ProxyPort is not null)
        {
            options.VirtualProxies.Add(new VirtualProxy { Prefix = "header" });
        }

        SandboxServer server = SandboxServer.StartAsync(options).GetAwaiter().GetResult();
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
        Console.WriteLine("Press Ctrl+C to stop.");
        using var stopped = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopped.Set();
        };
        stopped.Wait();
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
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
