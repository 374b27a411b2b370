using System;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Utilities.IO.Pem;
using BcPemReader = Org.BouncyCastle.OpenSsl.PemReader;
using BcPemWriter = Org.BouncyCastle.Utilities.IO.Pem.PemWriter;

namespace QlikQrs.Certificates;

/// <summary>
/// Decodes a private key PEM block: PKCS#1, SEC1 (EC), PKCS#8, encrypted PKCS#8 (PBES2 with AES or 3DES) and
/// OpenSSL's legacy Proc-Type/DEK-Info encryption.
/// </summary>
/// <remarks>
/// BouncyCastle decodes every format on both targets so that Windows PowerShell 5.1 and PowerShell 7 accept the same
/// files: net472 has no PKCS#8 or encrypted-PKCS#8 API, and no BCL reads the legacy DEK-Info encryption. The result
/// is handed to the BCL (<see cref="KeyConversion"/>) for everything after decoding.
/// </remarks>
internal static class PrivateKeyReader
{
    private static readonly string[] s_keyLabels = { "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY" };

    public static bool IsPrivateKey(PemObject block) => s_keyLabels.Contains(block.Type);

    public static bool IsEncrypted(PemObject block) =>
        block.Type == "ENCRYPTED PRIVATE KEY" ||
        block.Headers.Cast<PemHeader>().Any(h => h.Name == "Proc-Type" && h.Value.IndexOf("ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0);

    public static AsymmetricKeyParameter Read(PemObject block, string path, Password password)
    {
        bool encrypted = IsEncrypted(block);
        if (encrypted && !password.IsGiven)
        {
            throw CertificateErrors.PasswordRequired(path);
        }

        if (block.Type == "ENCRYPTED PRIVATE KEY")
        {
            GuardIterations(block.Content, path);
        }

        object? decoded;
        try
        {
            using var reader = new BcPemReader(new StringReader(Serialise(block)), encrypted ? new PasswordFinder(password) : null);
            decoded = BouncyCastleKeys.Read(reader.ReadObject);
        }
        catch (Exception exception) when (encrypted)
        {
            // Without a MAC, a wrong password and damaged ciphertext look the same to the decoder.
            throw CertificateErrors.PasswordInvalid(path, exception);
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "private key", exception);
        }

        return decoded switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            _ => throw CertificateErrors.Corrupt(path, "private key"),
        };
    }

    private static void GuardIterations(byte[] content, string path)
    {
        AlgorithmIdentifier encryption;
        try
        {
            encryption = EncryptedPrivateKeyInfo.GetInstance(content).EncryptionAlgorithm;
        }
        catch (Exception exception)
        {
            throw CertificateErrors.Corrupt(path, "encrypted private key", exception);
        }

        try
        {
            KdfIterations.Check(encryption, path);
        }
        catch (Exception exception) when (exception is not QrsCertificateException)
        {
            throw CertificateErrors.Corrupt(path, "encrypted private key", exception);
        }
    }

    private static string Serialise(PemObject block)
    {
        using var text = new StringWriter();
        new BcPemWriter(text).WriteObject(block);
        return text.ToString();
    }

    private sealed class PasswordFinder : IPasswordFinder
    {
        private readonly Password _password;

        public PasswordFinder(Password password) => _password = password;

        public char[] GetPassword() => _password.Utf8BytesAsCharacters();
    }
}
