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

    // Taken while the certificate is whole: PowerShell names a value in its binding errors with ToString, and an
    // exception from there, after Dispose, ends the process.
    private readonly string _shown;

    /// <summary>
    /// Wraps a certificate the user already holds (Get-PfxCertificate, Get-Item Cert:\...), so that one can be passed
    /// or piped wherever a QrsCertificate is expected.
    /// </summary>
    public QrsCertificate(X509Certificate2 certificate)
        : this(certificate, root: null, source: "X509Certificate2 " + certificate?.Thumbprint, ownsCertificate: false)
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
        if (certificate is null)
        {
            throw new ArgumentNullException(nameof(certificate));
        }

        if (!certificate.HasPrivateKey)
        {
            throw CertificateErrors.NoPrivateKey(certificate.Subject, certificate.Thumbprint);
        }

        _certificate = certificate;
        _ownsCertificate = ownsCertificate;
        Root = root;
        Source = source;
        QlikRole = CertificateChecks.QlikRole(certificate);
        _shown = $"{certificate.Subject} ({certificate.Thumbprint})";
    }

    public string Subject => _certificate.Subject;

    public string Issuer => _certificate.Issuer;

    public string Thumbprint => _certificate.Thumbprint;

    public DateTime NotBefore => _certificate.NotBefore;

    public DateTime NotAfter => _certificate.NotAfter;

    public bool HasPrivateKey => _certificate.HasPrivateKey;

    /// <summary>"RSA 2048", "ECDSA 256", ...</summary>
    public string KeyAlgorithm
    {
        get
        {
            using RSA? rsa = _certificate.GetRSAPublicKey();
            if (rsa is not null)
            {
                return "RSA " + rsa.KeySize;
            }

            using ECDsa? ecdsa = _certificate.GetECDsaPublicKey();
            return ecdsa is not null ? "ECDSA " + ecdsa.KeySize : _certificate.PublicKey.Oid.FriendlyName ?? _certificate.PublicKey.Oid.Value ?? "unknown";
        }
    }

    /// <summary>The role named by Qlik's marker extension (1.3.6.1.5.5.7.13.3): Client, Root or Service.</summary>
    public string? QlikRole { get; }

    /// <summary>Whether Qlik Sense issued this certificate for QRS clients (marker extension "Client").</summary>
    public bool IsQlikClient => string.Equals(QlikRole, "Client", StringComparison.OrdinalIgnoreCase);

    /// <summary>The root (root.pem) that the server's certificate must chain to; null when none was given.</summary>
    public X509Certificate2? Root { get; }

    public string? RootSubject => Root?.Subject;

    public string? RootThumbprint => Root?.Thumbprint;

    /// <summary>Where the certificate came from: the files, the folder or the certificate store.</summary>
    public string Source { get; }

    /// <summary>Where Windows keeps the key, when that is worth a Verbose line (the machine's key store); otherwise null.</summary>
    internal string? KeyStorageNote { get; init; }

    /// <summary>The certificate with its key, for the TLS handshake. Deliberately not public: see the class remarks.</summary>
    internal X509Certificate2 Certificate => _certificate;

    public override string ToString() => _shown;

    public void Dispose()
    {
        if (_ownsCertificate)
        {
            _certificate.Dispose();
            Root?.Dispose();
        }
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
