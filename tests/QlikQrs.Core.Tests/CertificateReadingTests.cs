using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Utilities;
using QlikQrs.Sandbox.Certificates;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>
/// Reading a QMC export builds its keys without BouncyCastle's proof that each RSA modulus is composite (the slow part
/// of an import): the keys must still work, and the thread must be left with BouncyCastle's settings as it found them.
/// </summary>
public sealed class CertificateReadingTests : IDisposable
{
    private const string ModulusProof = "Org.BouncyCastle.Rsa.MaxMRTests";

    private readonly string _folder = Directory.CreateTempSubdirectory("qlikqrs-certs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public void An_export_read_without_the_modulus_proof_signs_and_leaves_the_thread_as_it_was(string format)
    {
        using (QmcCertificateSet set = QmcCertificateSet.Mint("qrs.example"))
        {
            set.WriteTo(_folder);
        }

        if (format == "pfx")
        {
            foreach (string pem in Directory.GetFiles(_folder, "*.pem"))
            {
                File.Delete(pem);
            }
        }

        // A value of the caller's own, which the read must put back rather than clear.
        Properties.SetThreadProperty(ModulusProof, "7");
        QrsCertificate certificate;
        try
        {
            certificate = QrsCertificate.FromFolder(_folder);
            Assert.Equal("7", Properties.GetThreadProperty(ModulusProof));
        }
        finally
        {
            Properties.RemoveThreadProperty(ModulusProof);
        }

        using QrsCertificate _ = certificate;

        byte[] data = Encoding.UTF8.GetBytes("QlikQrs");
        using RSA privateKey = certificate.Certificate.GetRSAPrivateKey()!;
        using RSA publicKey = certificate.Certificate.GetRSAPublicKey()!;
        byte[] signature = privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
