using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using QlikQrs.Sandbox.Certificates;

namespace QlikQrs.Tests.Certificates;

/// <summary>
/// QMC-shaped certificate exports, minted at test time (no key is ever committed): the good ones in every form an
/// administrator holds them, and the broken ones the module must refuse with a clear error.
/// </summary>
public sealed class CertificateFixture : IDisposable
{
    public const string ExportPassword = "Qlik!Pa55 é";

    public CertificateFixture()
    {
        Folder = Directory.CreateTempSubdirectory("qlikqrs-certs-").FullName;
        Root = QmcCertificateFactory.CreateRoot("qlikserver1");
        Client = QmcCertificateFactory.CreateClient(Root);
        Server = QmcCertificateFactory.CreateServer(Root, "qlikserver1", new[] { "qlikserver1", "localhost" });
        OtherRoot = QmcCertificateFactory.CreateRoot("otherserver");
        OtherClient = QmcCertificateFactory.CreateClient(OtherRoot);
        EcClient = QmcCertificateFactory.CreateClient(Root, ClientKeyKind.EcdsaP256);

        QmcExportWriter.WritePemExport(PathOf("pem"), Root, Client, Server);
        QmcExportWriter.WriteWindowsExport(PathOf("windows"), Root, Client, Server);
        QmcExportWriter.WriteWindowsExport(PathOf("windows-password"), Root, Client, Server, ExportPassword);

        foreach (KeyPemFormat format in Enum.GetValues<KeyPemFormat>())
        {
            Write($"keys/rsa-{format}.pem", QmcExportWriter.KeyPem(Client, format, ExportPassword));
            Write($"keys/ec-{format}.pem", QmcExportWriter.KeyPem(EcClient, format, ExportPassword));
        }

        Write("keys/ec-client.pem", EcClient.ExportCertificatePem());

        // What a copy through Windows tools does to a PEM file: CRLF, a byte order mark, text before the armour.
        Write("messy/client.pem", "\uFEFFSubject: CN=QlikClient\r\nBag Attributes\r\n\r\n" + Client.ExportCertificatePem().Replace("\n", "\r\n") + "\r\n\r\n");
        Write("messy/client_key.pem", "\r\n\r\n" + QmcExportWriter.KeyPem(Client, KeyPemFormat.Traditional).Replace("\n", "\r\n") + "\r\n");
        Write("messy/root.pem", "\uFEFF" + Root.ExportCertificatePem());

        Write("combined/client.pem", Client.ExportCertificatePem() + "\n" + QmcExportWriter.KeyPem(Client, KeyPemFormat.Pkcs8) + "\n");

        // Broken exports, each a folder shaped like a PEM export with one thing wrong.
        BrokenPem("empty-file", certificate: "");
        BrokenPem("not-pem", certificate: "This is the QMC help page, not a certificate.\n");
        string pem = Client.ExportCertificatePem();
        BrokenPem("truncated", certificate: pem.Substring(0, pem.Length / 2));
        BrokenPem("corrupt-base64", certificate: pem.Substring(0, 100) + "!!!!####" + pem.Substring(108));
        BrokenPem("key-mismatch", key: QmcExportWriter.KeyPem(OtherClient, KeyPemFormat.Traditional));
        BrokenPem("foreign-root", root: OtherRoot.ExportCertificatePem());
        BrokenPem("root-not-ca", root: Server.ExportCertificatePem());
        BrokenPem("two-certificates", certificate: Client.ExportCertificatePem() + "\n" + OtherClient.ExportCertificatePem());
        using (DSA dsa = DSA.Create(1024))
        {
            BrokenPem("dsa-key", key: dsa.ExportPkcs8PrivateKeyPem());
        }

        BrokenPem("encrypted-key", key: QmcExportWriter.KeyPem(Client, KeyPemFormat.EncryptedPkcs8Aes256, ExportPassword));
        BrokenPem("legacy-encrypted-key", key: QmcExportWriter.KeyPem(Client, KeyPemFormat.LegacyDesEde3Cbc, ExportPassword));

        using X509Certificate2 expired = QmcCertificateFactory.CreateClient(Root, notBefore: DateTimeOffset.UtcNow.AddYears(-2), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        QmcExportWriter.WritePemExport(PathOf("expired"), Root, expired);
        using X509Certificate2 expiring = QmcCertificateFactory.CreateClient(Root, notAfter: DateTimeOffset.UtcNow.AddDays(10));
        QmcExportWriter.WritePemExport(PathOf("expiring"), Root, expiring);
        Directory.CreateDirectory(PathOf("no-export"));
        File.WriteAllText(PathOf("no-export/readme.txt"), "nothing here");
    }

    public string Folder { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 OtherRoot { get; }

    public X509Certificate2 OtherClient { get; }

    public X509Certificate2 EcClient { get; }

    public static SecureString Secure(string password) => new NetworkCredential(string.Empty, password).SecurePassword;

    public string PathOf(string relative) => Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar));

    private void Write(string relative, string text)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private void BrokenPem(string name, string? certificate = null, string? key = null, string? root = null)
    {
        Write($"broken/{name}/client.pem", certificate ?? Client.ExportCertificatePem());
        Write($"broken/{name}/client_key.pem", key ?? QmcExportWriter.KeyPem(Client, KeyPemFormat.Traditional));
        Write($"broken/{name}/root.pem", root ?? Root.ExportCertificatePem());
    }

    public void Dispose()
    {
        foreach (X509Certificate2 certificate in new[] { Root, Client, Server, OtherRoot, OtherClient, EcClient })
        {
            certificate.Dispose();
        }

        Directory.Delete(Folder, recursive: true);
    }
}
