using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace QlikQrs.Certificates;

/// <summary>Moves a decoded private key into the BCL, where TLS can use it, and checks it against a certificate.</summary>
internal static class KeyConversion
{
    public static AsymmetricAlgorithm ToDotNet(AsymmetricKeyParameter key, string path)
    {
        switch (key)
        {
            case RsaPrivateCrtKeyParameters rsaKey:
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(DotNetUtilities.ToRSAParameters(rsaKey));
                    return rsa;
                }
                catch (CryptographicException exception)
                {
                    rsa.Dispose();
                    throw CertificateErrors.Corrupt(path, "RSA private key", exception);
                }

            case ECPrivateKeyParameters { PublicKeyParamSet: not null } ecKey:
                int size = (ecKey.Parameters.Curve.FieldSize + 7) / 8;
                var q = ecKey.Parameters.G.Multiply(ecKey.D).Normalize();
                var parameters = new ECParameters
                {
                    Curve = ECCurve.CreateFromValue(ecKey.PublicKeyParamSet.Id),
                    D = ecKey.D.ToByteArrayUnsigned().PadLeft(size),
                    Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
                };
                try
                {
                    return ECDsa.Create(parameters);
                }
                catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
                {
                    throw CertificateErrors.UnsupportedKeyAlgorithm(path, $"ECDSA on curve {ecKey.PublicKeyParamSet.Id}, which this platform does not support");
                }

            default:
                throw CertificateErrors.UnsupportedKeyAlgorithm(path, Describe(key));
        }
    }

    public static void EnsureSupported(AsymmetricKeyParameter key, string path)
    {
        if (key is not (RsaPrivateCrtKeyParameters or ECPrivateKeyParameters { PublicKeyParamSet: not null }))
        {
            throw CertificateErrors.UnsupportedKeyAlgorithm(path, Describe(key));
        }
    }

    /// <summary>Whether <paramref name="key"/> is the private half of <paramref name="publicKey"/>.</summary>
    public static bool Matches(AsymmetricKeyParameter key, AsymmetricKeyParameter publicKey)
    {
        return (key, publicKey) switch
        {
            (RsaPrivateCrtKeyParameters rsa, RsaKeyParameters rsaPublic) =>
                rsa.Modulus.Equals(rsaPublic.Modulus) && rsa.PublicExponent.Equals(rsaPublic.Exponent),
            (ECPrivateKeyParameters ec, ECPublicKeyParameters ecPublic) =>
                ec.Parameters.G.Multiply(ec.D).Normalize().Equals(ecPublic.Q.Normalize()),
            _ => false,
        };
    }

    private static string Describe(AsymmetricKeyParameter key) => key switch
    {
        DsaKeyParameters => "DSA",
        ECPrivateKeyParameters => "ECDSA on an explicitly described curve (not a named curve)",
        RsaKeyParameters => "RSA without its CRT parameters",
        _ => key.GetType().Name.Replace("PrivateKeyParameters", string.Empty),
    };

    private static byte[] PadLeft(this byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }

        var padded = new byte[length];
        Buffer.BlockCopy(value, 0, padded, length - value.Length, value.Length);
        return padded;
    }
}
