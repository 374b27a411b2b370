using System;
using System.IO;
using QlikQrs.Sandbox.Certificates;

namespace QlikQrs.Sandbox;

/// <summary>The sandbox's command line.</summary>
public static class Program
{
    private const string Usage = """
        QlikQrs.Sandbox certificates --out <folder> [--hostname <name>] [--password <password>]
            Mints a QMC-shaped certificate set (root CN=<name>-CA, client CN=QlikClient, server CN=<name>) and writes
            it as both QMC exports: client.pem, client_key.pem, root.pem, server.pem, server_key.pem, client.pfx,
            root.cer, server.pfx. For test runbooks; never use these certificates for a real site.
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "certificates" => MintCertificates(args),
                _ => Fail($"Unknown command '{args[0]}'."),
            };
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }
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
