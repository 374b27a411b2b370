using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace QlikQrs.Certificates;

/// <summary>The key and certificates of a PKCS#12 file (client.pfx).</summary>
/// <remarks>
/// BouncyCastle reads PKCS#12 on every platform: a QMC client.pfx encrypts its certificates with
/// pbeWithSHA1And40BitRC2-CBC, which OpenSSL 3 (PowerShell 7 on Linux and macOS) only reads with its legacy
/// provider, and BouncyCastle reports a wrong password the same way everywhere.
/// </remarks>
internal sealed class Pkcs12Contents
{
    private Pkcs12Contents(AsymmetricKeyParameter key, BcCertificate certificate, IReadOnlyList<BcCertificate> others)
    {
        Key = key;
        Certificate = certificate;
        OtherCertificates = others;
    }

    public AsymmetricKeyParameter Key { get; }

    public BcCertificate Certificate { get; }

    /// <summary>The chain the file carries besides the client certificate (the root, when the QMC included it).</summary>
    public IReadOnlyList<BcCertificate> OtherCertificates { get; }

    public static Pkcs12Contents Read(string path, Password password)
    {
        if (!File.Exists(path))
        {
            throw CertificateErrors.FileNotFound(path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw CertificateErrors.FileEmpty(path);
        }

        GuardIterations(bytes, path);

        Pkcs12Store store = new Pkcs12StoreBuilder().Build();
        try
        {
            store.Load(new MemoryStream(bytes, writable: false), password.Characters());
        }
        catch (IOException exception) when (exception.Message.IndexOf("MAC invalid", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw password.IsGiven ? CertificateErrors.PasswordInvalid(path, exception) : CertificateErrors.Pkcs12NeedsPassword(path);
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 data", exception);
        }

        try
        {
            return FromStore(store, path);
        }
        catch (Exception exception) when (exception is not QrsCertificateException)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 data", exception);
        }
    }

    private static Pkcs12Contents FromStore(Pkcs12Store store, string path)
    {
        string[] keyAliases = store.Aliases.Where(store.IsKeyEntry).ToArray();
        if (keyAliases.Length == 0)
        {
            throw CertificateErrors.KeyNotFound(path);
        }

        if (keyAliases.Length > 1)
        {
            throw CertificateErrors.MultipleCertificates(path, keyAliases
                .Select(a => new System.Security.Cryptography.X509Certificates.X509Certificate2(store.GetCertificate(a).Certificate.GetEncoded())));
        }

        string alias = keyAliases[0];
        BcCertificate? certificate = store.GetCertificate(alias)?.Certificate;
        if (certificate is null)
        {
            throw CertificateErrors.NoCertificate(path);
        }

        BcCertificate[] others = store.Aliases
            .Select(a => store.GetCertificate(a)?.Certificate)
            .Concat(store.GetCertificateChain(alias)?.Select(e => e.Certificate) ?? Enumerable.Empty<BcCertificate>())
            .OfType<BcCertificate>()
            .Where(c => !c.Equals(certificate))
            .Distinct()
            .ToArray();
        return new Pkcs12Contents(store.GetKey(alias).Key, certificate, others);
    }

    private static void GuardIterations(byte[] bytes, string path)
    {
        MacData? mac;
        try
        {
            mac = Pfx.GetInstance(bytes).MacData;
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 data", exception);
        }

        BigInteger? iterations = mac?.IterationCount;
        if (iterations is not null && iterations.CompareTo(BigInteger.ValueOf(PrivateKeyReader.MaximumKdfIterations)) > 0)
        {
            throw CertificateErrors.KdfIterationsTooHigh(path, iterations.BitLength < 63 ? iterations.LongValue : long.MaxValue);
        }
    }
}
