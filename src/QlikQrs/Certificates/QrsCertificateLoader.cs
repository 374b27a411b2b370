using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace QlikQrs.Certificates;

/// <summary>Every way a Qlik administrator holds the QMC certificates, each ending in a checked QrsCertificate.</summary>
internal static class QrsCertificateLoader
{
    public const string PemCertificateFile = "client.pem";
    public const string PemKeyFile = "client_key.pem";
    public const string PemRootFile = "root.pem";
    public const string Pkcs12File = "client.pfx";
    public const string DerRootFile = "root.cer";

    /// <summary>The folder a Qlik Sense node keeps its own copy of the certificates in.</summary>
    public static string LocalCertificatesFolder => Path.Combine(
        Environment.GetEnvironmentVariable("ProgramData") ?? Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData),
        "Qlik", "Sense", "Repository", "Exported Certificates", ".Local Certificates");

    public static QrsCertificate FromFolder(string folder, Password password, DateTime utcNow)
    {
        if (!Directory.Exists(folder))
        {
            throw CertificateFile.MissingFolder(folder);
        }

        // The listing, not File.Exists, says what the export holds: File.Exists is false for a file this account may
        // not see, which would make an unreadable export look like none.
        string[] entries = CertificateFile.ListFolder(folder);
        string? InFolder(string file) => entries.Contains(file, FileNameComparer) ? Path.Combine(folder, file) : null;

        if (InFolder(PemCertificateFile) is string pemCertificate)
        {
            return FromPemFiles(pemCertificate, InFolder(PemKeyFile), InFolder(PemRootFile), password, "PEM export " + folder, utcNow);
        }

        if (InFolder(Pkcs12File) is string pkcs12)
        {
            return FromPkcs12(pkcs12, InFolder(DerRootFile), password, "Windows-format export " + folder, utcNow);
        }

        throw CertificateErrors.ExportNotFound(folder);
    }

    /// <summary>File names compare as the file system does: without case on Windows and macOS, with case elsewhere.</summary>
    private static StringComparer FileNameComparer =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public static QrsCertificate FromLocalNode(Password password, DateTime utcNow)
    {
        string folder = LocalCertificatesFolder;
        if (!Directory.Exists(folder))
        {
            throw CertificateErrors.LocalExportNotFound(folder);
        }

        return FromFolder(folder, password, utcNow);
    }

    public static QrsCertificate FromFiles(string certificatePath, string? keyPath, string? rootPath, Password password, DateTime utcNow)
    {
        string extension = Path.GetExtension(certificatePath);
        bool isPkcs12 = extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase);
        string source = "files " + string.Join(", ", new[] { certificatePath, keyPath, rootPath }.Where(p => p is not null));
        return isPkcs12
            ? FromPkcs12(certificatePath, rootPath, password, source, utcNow)
            : FromPemFiles(certificatePath, keyPath, rootPath, password, source, utcNow);
    }

    public static QrsCertificate FromCertificate(X509Certificate2 certificate, string? rootPath, DateTime utcNow)
    {
        QrsCertificate.NotDisposed(certificate);
        X509Certificate2? root = rootPath is null ? null : ReadRoot(rootPath);
        var loaded = new QrsCertificate(certificate, root, "X509Certificate2 " + certificate.Thumbprint, ownsCertificate: false);
        Validate(certificate, "X509Certificate2 " + certificate.Thumbprint, root, rootPath, utcNow);
        return loaded;
    }

    public static QrsCertificate FromStore(string? thumbprint, DateTime utcNow)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            throw CertificateErrors.StoreNotSupported();
        }

        var candidates = new List<(X509Certificate2 Certificate, string Location)>();
        foreach (StoreLocation location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            foreach (X509Certificate2 certificate in store.Certificates)
            {
                bool wanted = thumbprint is null
                    ? certificate.HasPrivateKey && certificate.Subject == "CN=QlikClient" && CertificateChecks.QlikRole(certificate) is not null
                    : certificate.HasPrivateKey && string.Equals(certificate.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
                if (wanted && candidates.All(c => c.Certificate.Thumbprint != certificate.Thumbprint))
                {
                    candidates.Add((certificate, $@"Cert:\{location}\My"));
                }
            }
        }

        if (candidates.Count == 0)
        {
            throw CertificateErrors.NotFoundInStore(thumbprint);
        }

        if (candidates.Count > 1)
        {
            throw CertificateErrors.Ambiguous(candidates);
        }

        (X509Certificate2 chosen, string chosenLocation) = candidates[0];
        X509Certificate2? root = FindIssuerInRootStore(chosen);
        Validate(chosen, chosenLocation, root, @"Cert:\LocalMachine\Root", utcNow);
        return new QrsCertificate(chosen, root, chosenLocation, ownsCertificate: true);
    }

    private static QrsCertificate FromPemFiles(string certificatePath, string? keyPath, string? rootPath, Password password, string source, DateTime utcNow)
    {
        PemFile certificateFile = PemFile.Read(certificatePath);
        X509Certificate2 publicCertificate = ReadSingleCertificate(certificateFile);

        PemFile keyFile = keyPath is null ? certificateFile : PemFile.Read(keyPath);
        Org.BouncyCastle.Utilities.IO.Pem.PemObject? keyBlock = keyFile.PrivateKeys.FirstOrDefault();
        if (keyBlock is null)
        {
            throw keyPath is not null && keyFile.Blocks.Count == 0
                ? CertificateErrors.NotPem(keyPath, "RSA PRIVATE KEY")
                : CertificateErrors.KeyNotFound(keyFile.Path);
        }

        AsymmetricKeyParameter key = PrivateKeyReader.Read(keyBlock, keyFile.Path, password);
        X509Certificate2? root = rootPath is null ? null : ReadRoot(rootPath);
        return Assemble(publicCertificate, key, keyFile.Path, certificatePath, root, rootPath, source, utcNow);
    }

    private static QrsCertificate FromPkcs12(string path, string? rootPath, Password password, string source, DateTime utcNow)
    {
        Pkcs12Contents contents = Pkcs12Contents.Read(path, password);
        X509Certificate2 publicCertificate = ParseCertificate(contents.Certificate.GetEncoded(), path);
        X509Certificate2? root = rootPath is not null
            ? ReadRoot(rootPath)
            : contents.OtherCertificates
                .Where(c => c.SubjectDN.Equivalent(contents.Certificate.IssuerDN))
                .Select(c => ParseCertificate(c.GetEncoded(), path))
                .FirstOrDefault();
        return Assemble(publicCertificate, contents.Key, path, path, root, rootPath ?? path, source, utcNow);
    }

    private static QrsCertificate Assemble(
        X509Certificate2 publicCertificate, AsymmetricKeyParameter key, string keyPath, string certificatePath,
        X509Certificate2? root, string? rootSource, string source, DateTime utcNow)
    {
        // BouncyCastle reads the whole structure first: .NET decodes dates and extensions only when they are read.
        AsymmetricKeyParameter publicKey = PublicKeyOf(publicCertificate, certificatePath, "certificate");
        Validate(publicCertificate, certificatePath, root, rootSource, utcNow);
        KeyConversion.EnsureSupported(key, keyPath);
        if (!KeyConversion.Matches(key, publicKey))
        {
            throw CertificateErrors.KeyMismatch(keyPath, certificatePath);
        }

        using AsymmetricAlgorithm dotNetKey = KeyConversion.ToDotNet(key, keyPath);
        X509Certificate2 combined;
        string? keyStorageNote;
        try
        {
            combined = QrsCertificate.Combine(publicCertificate, dotNetKey, out keyStorageNote);
        }
        catch (CryptographicException exception)
        {
            throw CertificateErrors.Corrupt(keyPath, "private key", exception);
        }
        finally
        {
            publicCertificate.Dispose();
        }

        return new QrsCertificate(combined, root, source, ownsCertificate: true) { KeyStorageNote = keyStorageNote };
    }

    private static void Validate(X509Certificate2 client, string clientSource, X509Certificate2? root, string? rootSource, DateTime utcNow)
    {
        CertificateChecks.CheckClientUsage(client, clientSource);
        CertificateChecks.CheckValidity(client, utcNow);
        if (root is not null)
        {
            string where = rootSource ?? root.Subject;
            AsymmetricKeyParameter rootKey = PublicKeyOf(root, where, "root certificate");
            CertificateChecks.CheckCertificateAuthority(root, where);
            CertificateChecks.CheckValidity(root, utcNow);
            CertificateChecks.CheckIssuedBy(client, root, rootKey, where);
        }
    }

    /// <summary>The certificate's public key, read by BouncyCastle; a certificate it cannot read counts as damaged.</summary>
    private static AsymmetricKeyParameter PublicKeyOf(X509Certificate2 certificate, string path, string what)
    {
        try
        {
            return BouncyCastleKeys.Read(new X509CertificateParser().ReadCertificate(certificate.RawData).GetPublicKey);
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, what, exception);
        }
    }

    private static X509Certificate2 ReadSingleCertificate(PemFile file)
    {
        if (file.Blocks.Count == 0)
        {
            return ParseDer(file);
        }

        X509Certificate2[] certificates = file.Certificates.Select(b => ParseCertificate(b.Content, file.Path)).ToArray();
        if (certificates.Length == 0)
        {
            throw CertificateErrors.NoCertificate(file.Path);
        }

        if (certificates.Length > 1)
        {
            throw CertificateErrors.MultipleCertificates(file.Path, certificates);
        }

        return certificates[0];
    }

    /// <summary>root.pem, root.cer (DER) or any file whose first certificate is the root.</summary>
    internal static X509Certificate2 ReadRoot(string path)
    {
        PemFile file = PemFile.Read(path);
        if (file.Blocks.Count == 0)
        {
            return ParseDer(file);
        }

        Org.BouncyCastle.Utilities.IO.Pem.PemObject? first = file.Certificates.FirstOrDefault();
        return first is null ? throw CertificateErrors.NoCertificate(path) : ParseCertificate(first.Content, path);
    }

    private static X509Certificate2 ParseDer(PemFile file)
    {
        try
        {
            return new X509Certificate2(file.Bytes);
        }
        catch (CryptographicException)
        {
            throw CertificateErrors.NotPem(file.Path, "CERTIFICATE");
        }
    }

    private static X509Certificate2 ParseCertificate(byte[] der, string path)
    {
        try
        {
            return new X509Certificate2(der);
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "certificate", exception);
        }
    }

    private static X509Certificate2? FindIssuerInRootStore(X509Certificate2 certificate)
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return store.Certificates.Find(X509FindType.FindBySubjectDistinguishedName, certificate.Issuer, validOnly: false)
            .OfType<X509Certificate2>()
            .FirstOrDefault();
    }
}
