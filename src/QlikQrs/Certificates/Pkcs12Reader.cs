using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace QlikQrs.Certificates;

/// <summary>The key and certificates of a PKCS#12 file (client.pfx).</summary>
/// <remarks>
/// BouncyCastle's primitives read PKCS#12 on every platform: a QMC client.pfx encrypts its certificates with
/// pbeWithSHA1And40BitRC2-CBC, which OpenSSL 3 (PowerShell 7 on Linux and macOS) only reads with its legacy
/// provider. BouncyCastle's Pkcs12Store is not used: it derives PBES2 keys (OpenSSL 3's and .NET's default) from the
/// low byte of each password character, where PKCS#5, OpenSSL and .NET take the password's UTF-8 bytes, so a password
/// such as 'café' or one in Chinese did not open a file they wrote. Here each part gets the encoding its scheme
/// defines: BMPString for the MAC and PKCS#12's own PBEs, UTF-8 for PBES2.
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
        byte[] bytes = CertificateFile.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw CertificateErrors.FileEmpty(path);
        }

        Pfx pfx;
        byte[] authenticatedSafe;
        try
        {
            pfx = Pfx.GetInstance(bytes);
            authenticatedSafe = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 data", exception);
        }

        bool? windowsEmptyPassword = VerifyIntegrity(pfx.MacData, authenticatedSafe, path, password);
        var reader = new BagReader(path, password, windowsEmptyPassword);
        try
        {
            foreach (ContentInfo content in AuthenticatedSafe.GetInstance(authenticatedSafe).GetContentInfo())
            {
                reader.Read(content);
            }

            return reader.Contents();
        }
        catch (Exception exception) when (exception is not QrsCertificateException)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 data", exception);
        }
    }

    /// <summary>
    /// Checks the file's MAC with the password; returns whether it took Windows' encoding of an empty password, or
    /// null when the file has no MAC (then only decryption can tell a wrong password).
    /// </summary>
    private static bool? VerifyIntegrity(MacData? mac, byte[] authenticatedSafe, string path, Password password)
    {
        if (mac is null)
        {
            return null;
        }

        char[] characters = password.Characters();
        try
        {
            KdfIterations.Check(mac.IterationCount, path);
            if (MacMatches(mac, authenticatedSafe, characters, windowsEmptyPassword: false))
            {
                return false;
            }

            // Windows encodes an empty password as a lone BMP terminator, which the QMC's client.pfx carries.
            if (characters.Length == 0 && MacMatches(mac, authenticatedSafe, characters, windowsEmptyPassword: true))
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is not QrsCertificateException)
        {
            throw CertificateErrors.Corrupt(path, "PKCS#12 integrity data", exception);
        }
        finally
        {
            Array.Clear(characters, 0, characters.Length);
        }

        throw password.IsGiven ? CertificateErrors.PasswordInvalid(path) : CertificateErrors.Pkcs12NeedsPassword(path);
    }

    private static bool MacMatches(MacData mac, byte[] data, char[] password, bool windowsEmptyPassword)
    {
        DerObjectIdentifier digest = mac.Mac.DigestAlgorithm.Algorithm;
        Asn1Encodable parameters = PbeUtilities.GenerateAlgorithmParameters(digest, mac.GetSalt(), mac.IterationCount.IntValueExact);
        var engine = (IMac)PbeUtilities.CreateEngine(digest);
        engine.Init(PbeUtilities.GenerateCipherParameters(digest, password, windowsEmptyPassword, parameters));
        return Arrays.FixedTimeEquals(MacUtilities.DoFinal(engine, data), mac.Mac.Digest.GetOctets());
    }

    /// <summary>Collects keys and certificates from the file's safe contents, decrypting what is encrypted.</summary>
    private sealed class BagReader
    {
        private readonly string _path;
        private readonly Password _password;
        private readonly bool? _windowsEmptyPassword;
        private readonly List<AsymmetricKeyParameter> _keys = new();
        private readonly List<BcCertificate> _certificates = new();

        public BagReader(string path, Password password, bool? windowsEmptyPassword)
        {
            _path = path;
            _password = password;
            _windowsEmptyPassword = windowsEmptyPassword;
        }

        public void Read(ContentInfo content)
        {
            byte[] bags;
            if (content.ContentType.Equals(PkcsObjectIdentifiers.Data))
            {
                bags = Asn1OctetString.GetInstance(content.Content).GetOctets();
            }
            else if (content.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                EncryptedData encrypted = EncryptedData.GetInstance(content.Content);
                bags = Decrypt(encrypted.EncryptionAlgorithm, encrypted.Content.GetOctets());
            }
            else
            {
                return;
            }

            foreach (Asn1Encodable item in Asn1Sequence.GetInstance(bags))
            {
                SafeBag bag = SafeBag.GetInstance(item);
                if (bag.BagID.Equals(PkcsObjectIdentifiers.CertBag))
                {
                    CertBag certificate = CertBag.GetInstance(bag.BagValue);
                    if (certificate.CertID.Equals(PkcsObjectIdentifiers.X509Certificate))
                    {
                        _certificates.Add(new X509CertificateParser().ReadCertificate(Asn1OctetString.GetInstance(certificate.CertValue).GetOctets()));
                    }
                }
                else if (bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag))
                {
                    EncryptedPrivateKeyInfo shrouded = EncryptedPrivateKeyInfo.GetInstance(bag.BagValue);
                    PrivateKeyInfo decrypted = PrivateKeyInfo.GetInstance(Decrypt(shrouded.EncryptionAlgorithm, shrouded.GetEncryptedData()));
                    _keys.Add(BouncyCastleKeys.Read(() => PrivateKeyFactory.CreateKey(decrypted)));
                }
                else if (bag.BagID.Equals(PkcsObjectIdentifiers.KeyBag))
                {
                    _keys.Add(BouncyCastleKeys.Read(() => PrivateKeyFactory.CreateKey(PrivateKeyInfo.GetInstance(bag.BagValue))));
                }
            }
        }

        public Pkcs12Contents Contents()
        {
            if (_keys.Count == 0)
            {
                throw CertificateErrors.KeyNotFound(_path);
            }

            if (_keys.Count > 1)
            {
                throw CertificateErrors.MultipleCertificates(_path, _certificates.Select(c => new System.Security.Cryptography.X509Certificates.X509Certificate2(c.GetEncoded())));
            }

            AsymmetricKeyParameter key = _keys[0];
            KeyConversion.EnsureSupported(key, _path);
            BcCertificate? certificate = _certificates.FirstOrDefault(c => KeyConversion.Matches(key, BouncyCastleKeys.Read(c.GetPublicKey)));
            if (certificate is null)
            {
                throw CertificateErrors.NoCertificate(_path);
            }

            return new Pkcs12Contents(key, certificate, _certificates.Where(c => !c.Equals(certificate)).Distinct().ToArray());
        }

        private byte[] Decrypt(AlgorithmIdentifier algorithm, byte[] data)
        {
            KdfIterations.Check(algorithm, _path);
            // PBES2 derives its key from the password's UTF-8 bytes; BouncyCastle's helper takes one byte per char, so
            // it is handed those bytes as chars. PKCS#12's own PBEs take the characters themselves (as BMPString).
            bool pbes2 = algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2);
            char[] secret = pbes2 ? _password.Utf8BytesAsCharacters() : _password.Characters();
            try
            {
                var cipher = (IBufferedCipher)PbeUtilities.CreateEngine(algorithm);
                cipher.Init(false, PbeUtilities.GenerateCipherParameters(algorithm, secret, _windowsEmptyPassword ?? false));
                return cipher.DoFinal(data);
            }
            catch (InvalidCipherTextException exception) when (_windowsEmptyPassword is null)
            {
                // Without a MAC, a wrong password shows only here.
                throw _password.IsGiven ? CertificateErrors.PasswordInvalid(_path, exception) : CertificateErrors.Pkcs12NeedsPassword(_path);
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }
    }
}
