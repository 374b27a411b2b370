using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Certificates;

namespace QlikQrs;

/// <summary>
/// A client certificate with its private key, and the root that the Qlik site's certificates chain to, ready for
/// Connect-QrsServer. It never shows, logs or serialises key material.
/// </summary>
public sealed class QrsCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly bool _ownsCertificate;
    private volatile bool _disposed;

    /// <summary>
    /// Wraps a certificate the user already holds (Get-PfxCertificate, Get-Item Cert:\...), so that one can be passed
    /// or piped wherever a QrsCertificate is expected.
    /// </summary>
    public QrsCertificate(X509Certificate2 certificate)
        : this(UsableForClients(certificate), root: null, source: "X509Certificate2 " + certificate.Thumbprint, ownsCertificate: false)
    {
    }

    /// <summary>Loads a QMC export folder (PEM or Windows format) as Import-QrsCertificate -Path does, for programs without PowerShell.</summary>
    public static QrsCertificate FromFolder(string folder, System.Security.SecureString? password = null)
    {
        using Certificates.Password secret = Certificates.Password.From(password);
        return Certificates.QrsCertificateLoader.FromFolder(System.IO.Path.GetFullPath(folder), secret, DateTime.UtcNow);
    }

    internal QrsCertificate(X509Certificate2 certificate, X509Certificate2? root, string source, bool ownsCertificate)
    {
        NotDisposed(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw CertificateErrors.NoPrivateKey(certificate.Subject, certificate.Thumbprint);
        }

        _certificate = certificate;
        _ownsCertificate = ownsCertificate;
        Root = root;
        Source = source;
        QlikRole = CertificateChecks.QlikRole(certificate);
        // Kept apart from the certificate, so that a disposed one still shows what it was.
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        Thumbprint = certificate.Thumbprint;
        NotBefore = certificate.NotBefore;
        NotAfter = certificate.NotAfter;
        KeyAlgorithm = KeyAlgorithmOf(certificate);
        RootSubject = root?.Subject;
        RootThumbprint = root?.Thumbprint;
    }

    public string Subject { get; }

    public string Issuer { get; }

    public string Thumbprint { get; }

    public DateTime NotBefore { get; }

    public DateTime NotAfter { get; }

    /// <summary>Whether the private key can still be used: false once the certificate is disposed.</summary>
    public bool HasPrivateKey => !IsDisposed;

    /// <summary>Whether Dispose() was called, on this object or on the X509Certificate2 it wraps; a disposed certificate cannot connect.</summary>
    public bool IsDisposed => _disposed || _certificate.Handle == IntPtr.Zero;

    /// <summary>"RSA 2048", "ECDSA 256", ...</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The role named by Qlik's marker extension (1.3.6.1.5.5.7.13.3): Client, Root or Service.</summary>
    public string? QlikRole { get; }

    /// <summary>Whether Qlik Sense issued this certificate for QRS clients (marker extension "Client").</summary>
    public bool IsQlikClient => string.Equals(QlikRole, "Client", StringComparison.OrdinalIgnoreCase);

    /// <summary>The root (root.pem) that the server's certificate must chain to; null when none was given.</summary>
    public X509Certificate2? Root { get; }

    public string? RootSubject { get; }

    public string? RootThumbprint { get; }

    /// <summary>Where the certificate came from: the files, the folder or the certificate store.</summary>
    public string Source { get; }

    /// <summary>Where Windows keeps the key, when that is worth a Verbose line (the machine's key store); otherwise null.</summary>
    internal string? KeyStorageNote { get; init; }

    /// <summary>The certificate with its key, for the TLS handshake. Deliberately not public: see the class remarks.</summary>
    internal X509Certificate2 Certificate => _certificate;

    public override string ToString() => $"{Subject} ({Thumbprint})";

    /// <summary>Refuses a disposed certificate with an error that says so, before anything tries to use its key.</summary>
    internal void EnsureNotDisposed()
    {
        if (IsDisposed)
        {
            throw CertificateErrors.Disposed(Subject, Thumbprint);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        if (_ownsCertificate)
        {
            _certificate.Dispose();
            Root?.Dispose();
        }
    }

    private static X509Certificate2 UsableForClients(X509Certificate2 certificate)
    {
        NotDisposed(certificate);
        CertificateChecks.CheckClientUsage(certificate, "X509Certificate2 " + certificate.Thumbprint);
        return certificate;
    }

    internal static void NotDisposed(X509Certificate2 certificate)
    {
        if (certificate is null)
        {
            throw new ArgumentNullException(nameof(certificate));
        }

        // A disposed X509Certificate2 has no handle, and its every property throws CryptographicException.
        if (certificate.Handle == IntPtr.Zero)
        {
            throw CertificateErrors.DisposedX509Certificate();
        }
    }

    private static string KeyAlgorithmOf(X509Certificate2 certificate)
    {
        using RSA? rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return "RSA " + rsa.KeySize;
        }

        using ECDsa? ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa is not null ? "ECDSA " + ecdsa.KeySize : certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
    }

    /// <summary>
    /// Joins a public certificate and a private key decoded from files into one usable for client TLS;
    /// <paramref name="keyStorageNote"/> says where Windows keeps the key when it is not the user's key store.
    /// </summary>
    internal static X509Certificate2 Combine(X509Certificate2 publicCertificate, AsymmetricAlgorithm key, out string? keyStorageNote)
    {
        X509Certificate2 withKey = key switch
        {
            RSA rsa => publicCertificate.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => publicCertificate.CopyWithPrivateKey(ecdsa),
            _ => throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key)),
        };

        keyStorageNote = null;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return withKey;
        }

        // A key decoded from PEM is ephemeral, which SChannel cannot sign with. An in-memory PKCS#12 imported again
        // gives the certificate a key of its own in a Windows key store; no PEM or PFX is ever written out by us.
        byte[] pkcs12 = withKey.Export(X509ContentType.Pkcs12);
        try
        {
            return WindowsKeyStorage.Import(pkcs12, WindowsKeyStorage.Windows, out keyStorageNote);
        }
        finally
        {
            Array.Clear(pkcs12, 0, pkcs12.Length);
            withKey.Dispose();
        }
    }
}
