using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Sandbox.Certificates;

/// <summary>A site's root, client and server certificates, as the QMC exports them into one folder.</summary>
public sealed class QmcCertificateSet : IDisposable
{
    private QmcCertificateSet(X509Certificate2 root, X509Certificate2 client, X509Certificate2 server)
    {
        Root = root;
        Client = client;
        Server = server;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Server { get; }

    /// <summary>
    /// Mints a set for <paramref name="hostName"/>; the server certificate names it, <c>localhost</c>, the loopback
    /// addresses and any <paramref name="extraNames"/>, so that clients can check the host name strictly.
    /// </summary>
    public static QmcCertificateSet Mint(string hostName, IEnumerable<string>? extraNames = null, bool includeLoopback = true)
    {
        X509Certificate2 root = QmcCertificateFactory.CreateRoot(hostName);
        string[] names = new[] { hostName }.Concat(includeLoopback ? new[] { "localhost" } : Array.Empty<string>())
            .Concat(extraNames ?? Array.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new QmcCertificateSet(
            root,
            QmcCertificateFactory.CreateClient(root),
            QmcCertificateFactory.CreateServer(root, hostName, names, includeLoopback ? new[] { IPAddress.Loopback, IPAddress.IPv6Loopback } : Array.Empty<IPAddress>()));
    }

    /// <summary>
    /// The set already in <paramref name="folder"/> (root.pem, client.pem, client_key.pem, server.pem,
    /// server_key.pem), or a new one minted and written there, so that a restarted sandbox keeps its certificates.
    /// </summary>
    public static QmcCertificateSet LoadOrMint(string folder, string hostName, IEnumerable<string>? extraNames = null, bool includeLoopback = true)
    {
        string[] files = { "root.pem", "client.pem", "client_key.pem", "server.pem", "server_key.pem" };
        if (files.All(f => File.Exists(Path.Combine(folder, f))))
        {
            return new QmcCertificateSet(
                X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "root.pem"))),
                X509Certificate2.CreateFromPemFile(Path.Combine(folder, "client.pem"), Path.Combine(folder, "client_key.pem")),
                X509Certificate2.CreateFromPemFile(Path.Combine(folder, "server.pem"), Path.Combine(folder, "server_key.pem")));
        }

        QmcCertificateSet minted = Mint(hostName, extraNames, includeLoopback);
        minted.WriteTo(folder);
        return minted;
    }

    /// <summary>
    /// Writes both export formats into <paramref name="folder"/>: client.pem, client_key.pem, root.pem, server.pem,
    /// server_key.pem, and client.pfx, root.cer, server.pfx (with <paramref name="password"/>, or the QMC's empty one).
    /// </summary>
    public void WriteTo(string folder, string? password = null)
    {
        QmcExportWriter.WritePemExport(folder, Root, Client, Server);
        QmcExportWriter.WriteWindowsExport(folder, Root, Client, Server, password);
    }

    public void Dispose()
    {
        Root.Dispose();
        Client.Dispose();
        Server.Dispose();
    }
}
