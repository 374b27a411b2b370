using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcPemWriter = Org.BouncyCastle.OpenSsl.PemWriter;

namespace QlikQrs.Sandbox.Certificates;

/// <summary>
/// Writes certificates the way the QMC exports them (PEM and Windows format), and every other key encoding an
/// administrator may bring, so that the module's tests and the sandbox use files of the real shape.
/// </summary>
/// <remarks>
/// The BCL writes what it can (PEM certificates, PKCS#1, PKCS#8, AES PBES2). BouncyCastle writes what the BCL
/// cannot: PBES2 with 3DES, OpenSSL's legacy DEK-Info encryption, and a PKCS#12 with the QMC's exact legacy
/// algorithms and iteration count.
/// </remarks>
public static class QmcExportWriter
{
    /// <summary>What the QMC uses for client.pfx: PBE iterations and MAC iterations alike.</summary>
    public const int QmcPkcs12Iterations = 2000;

    private const int Pkcs8Iterations = 2048;

    /// <summary>client.pem, client_key.pem (PKCS#1), root.pem, server.pem and server_key.pem.</summary>
    public static void WritePemExport(string folder, X509Certificate2 root, X509Certificate2 client, X509Certificate2? server = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "client.pem"), client.ExportCertificatePem() + "\n");
        WritePrivate(Path.Combine(folder, "client_key.pem"), Encoding.ASCII.GetBytes(KeyPem(client, KeyPemFormat.Traditional) + "\n"));
        File.WriteAllText(Path.Combine(folder, "root.pem"), root.ExportCertificatePem() + "\n");
        if (server is not null)
        {
            File.WriteAllText(Path.Combine(folder, "server.pem"), server.ExportCertificatePem() + "\n");
            WritePrivate(Path.Combine(folder, "server_key.pem"), Encoding.ASCII.GetBytes(KeyPem(server, KeyPemFormat.Traditional) + "\n"));
        }
    }

    /// <summary>client.pfx (QMC legacy PKCS#12, an empty password when none is given), root.cer (DER) and server.pfx.</summary>
    public static void WriteWindowsExport(string folder, X509Certificate2 root, X509Certificate2 client, X509Certificate2? server = null, string? password = null)
    {
        Directory.CreateDirectory(folder);
        WritePrivate(Path.Combine(folder, "client.pfx"), QmcPkcs12(client, new[] { root }, password));
        File.WriteAllBytes(Path.Combine(folder, "root.cer"), root.RawData);
        if (server is not null)
        {
            WritePrivate(Path.Combine(folder, "server.pfx"), QmcPkcs12(server, new[] { root }, password));
        }
    }

    /// <summary>
    /// Writes a file that holds a private key, readable by its owner only where the platform has Unix modes, from the
    /// moment it exists. An earlier file of that name is removed, not overwritten: it would keep its old mode.
    /// </summary>
    private static void WritePrivate(string path, byte[] content)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        file.Write(content);
    }

    /// <summary>The private key of <paramref name="certificate"/> as PEM in the given format.</summary>
    public static string KeyPem(X509Certificate2 certificate, KeyPemFormat format, string? password = null)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA or ECDSA private key.", nameof(certificate));
        bool encrypted = format is not (KeyPemFormat.Traditional or KeyPemFormat.Pkcs8);
        if (encrypted && password is null)
        {
            throw new ArgumentNullException(nameof(password), $"{format} needs a password.");
        }

        switch (format)
        {
            case KeyPemFormat.Traditional:
                return key is RSA rsa ? rsa.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem();
            case KeyPemFormat.Pkcs8:
                return key.ExportPkcs8PrivateKeyPem();
            case KeyPemFormat.EncryptedPkcs8Aes256:
                return key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pkcs8Iterations));
            case KeyPemFormat.EncryptedPkcs8TripleDes:
                return new string(PemEncoding.Write("ENCRYPTED PRIVATE KEY", Pbes2TripleDes(key.ExportPkcs8PrivateKey(), password!)));
            default:
                string algorithm = format switch
                {
                    KeyPemFormat.LegacyDesEde3Cbc => "DES-EDE3-CBC",
                    KeyPemFormat.LegacyAes128Cbc => "AES-128-CBC",
                    _ => "AES-256-CBC",
                };
                using (var text = new StringWriter())
                {
                    // OpenSSL derives the key from the password's UTF-8 bytes; BouncyCastle takes one byte per char.
                    char[] utf8 = Encoding.UTF8.GetBytes(password!).Select(b => (char)b).ToArray();
                    new BcPemWriter(text).WriteObject(new MiscPemGenerator(BouncyKey(key), algorithm, utf8, new SecureRandom()));
                    return text.ToString().TrimEnd();
                }
        }
    }

    /// <summary>
    /// A PKCS#12 as the QMC writes client.pfx: certificates under pbeWithSHA1And40BitRC2-CBC, the key under
    /// pbeWithSHA1And3-KeyTripleDES-CBC, a SHA-1 MAC, 2000 iterations; an empty password when none is given.
    /// </summary>
    public static byte[] QmcPkcs12(X509Certificate2 certificate, IEnumerable<X509Certificate2> chain, string? password)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA or ECDSA private key.", nameof(certificate));
        char[] secret = (password ?? string.Empty).ToCharArray();
        // Windows encodes an empty password as a lone BMP terminator, which BouncyCastle calls the "wrong" zero.
        bool windowsEmptyPassword = secret.Length == 0;
        var random = new SecureRandom();

        var bagAttributes = new DerSet(
            new DerSequence(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID, new DerSet(new DerOctetString(SHA1.HashData(certificate.RawData)))),
            new DerSequence(PkcsObjectIdentifiers.Pkcs9AtFriendlyName, new DerSet(new DerBmpString("QlikClient"))));

        var keyAlgorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc, new Pkcs12PbeParams(Salt(random), QmcPkcs12Iterations));
        byte[] keyInfo = PrivateKeyInfo.GetInstance(key.ExportPkcs8PrivateKey()).GetEncoded();
        byte[] encryptedKey = Crypt(keyAlgorithm, secret, windowsEmptyPassword, keyInfo);
        var keyBag = new SafeBag(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag, new EncryptedPrivateKeyInfo(keyAlgorithm, encryptedKey).ToAsn1Object(), bagAttributes);
        var keyContent = new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(keyBag).GetDerEncoded()));

        var certificateBags = new Asn1EncodableVector(
            new SafeBag(PkcsObjectIdentifiers.CertBag, new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(certificate.RawData)).ToAsn1Object(), bagAttributes));
        foreach (X509Certificate2 issuer in chain)
        {
            certificateBags.Add(new SafeBag(PkcsObjectIdentifiers.CertBag, new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(issuer.RawData)).ToAsn1Object()));
        }

        var certificateAlgorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.PbewithShaAnd40BitRC2Cbc, new Pkcs12PbeParams(Salt(random), QmcPkcs12Iterations));
        byte[] encryptedCertificates = Crypt(certificateAlgorithm, secret, windowsEmptyPassword, new DerSequence(certificateBags).GetDerEncoded());
        var certificateContent = new ContentInfo(
            PkcsObjectIdentifiers.EncryptedData,
            new EncryptedData(PkcsObjectIdentifiers.Data, certificateAlgorithm, new DerOctetString(encryptedCertificates)).ToAsn1Object());

        byte[] authenticatedSafe = new AuthenticatedSafe(new[] { certificateContent, keyContent }).GetDerEncoded();

        byte[] macSalt = Salt(random);
        Asn1Encodable macParameters = PbeUtilities.GenerateAlgorithmParameters(OiwObjectIdentifiers.IdSha1, macSalt, QmcPkcs12Iterations);
        var mac = (IMac)PbeUtilities.CreateEngine(OiwObjectIdentifiers.IdSha1);
        mac.Init(PbeUtilities.GenerateCipherParameters(OiwObjectIdentifiers.IdSha1, secret, windowsEmptyPassword, macParameters));
        byte[] macValue = MacUtilities.DoFinal(mac, authenticatedSafe);
        var macData = new MacData(new DigestInfo(new AlgorithmIdentifier(OiwObjectIdentifiers.IdSha1, DerNull.Instance), macValue), macSalt, QmcPkcs12Iterations);

        return new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authenticatedSafe)), macData).GetDerEncoded();
    }

    /// <summary>PBES2 (PBKDF2 with HMAC-SHA256) and DES-EDE3-CBC, which neither the BCL nor BouncyCastle's PKCS#8 writer offers.</summary>
    private static byte[] Pbes2TripleDes(byte[] pkcs8, string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] iv = RandomNumberGenerator.GetBytes(8);
        var derivation = new Pkcs5S2ParametersGenerator(new Sha256Digest());
        derivation.Init(PbeParametersGenerator.Pkcs5PasswordToUtf8Bytes(password.ToCharArray()), salt, Pkcs8Iterations);
        var cipher = CipherUtilities.GetCipher("DESede/CBC/PKCS7Padding");
        cipher.Init(true, new ParametersWithIV(derivation.GenerateDerivedParameters("DESede", 192), iv));
        byte[] encrypted = cipher.DoFinal(pkcs8);

        var keyDerivation = new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2,
            new Pbkdf2Params(salt, Pkcs8Iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance)));
        var scheme = new EncryptionScheme(PkcsObjectIdentifiers.DesEde3Cbc, new DerOctetString(iv));
        var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, new PbeS2Parameters(keyDerivation, scheme));
        return new EncryptedPrivateKeyInfo(algorithm, encrypted).GetEncoded();
    }

    private static byte[] Crypt(AlgorithmIdentifier algorithm, char[] password, bool windowsEmptyPassword, byte[] data)
    {
        var cipher = (IBufferedCipher)PbeUtilities.CreateEngine(algorithm);
        cipher.Init(true, PbeUtilities.GenerateCipherParameters(algorithm, password, windowsEmptyPassword));
        return cipher.DoFinal(data);
    }

    private static byte[] Salt(SecureRandom random)
    {
        var salt = new byte[20];
        random.NextBytes(salt);
        return salt;
    }

    private static AsymmetricKeyParameter BouncyKey(AsymmetricAlgorithm key) => PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
}
