using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;

namespace QlikQrs.Certificates;

/// <summary>
/// The cost a password-protected file asks for, checked before any key is derived: the iteration count is the file's
/// to choose, and a damaged or hostile one must not keep an import busy for minutes.
/// </summary>
internal static class KdfIterations
{
    /// <summary>The most iterations derived; the QMC uses 2,000, OpenSSL 2,048, .NET's defaults stay under a million.</summary>
    public const int Maximum = 10_000_000;

    /// <summary>Refuses the iteration count of a password-based encryption (PBES2 with PBKDF2, PKCS#12 or PKCS#5 v1).</summary>
    public static void Check(AlgorithmIdentifier encryption, string path)
    {
        if (encryption.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
        {
            KeyDerivationFunc derivation = PbeS2Parameters.GetInstance(encryption.Parameters).KeyDerivationFunc;
            if (derivation.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
            {
                Check(Pbkdf2Params.GetInstance(derivation.Parameters).IterationCount, path);
            }

            return;
        }

        // PKCS#12's PBEs and PKCS#5 v1 share the shape SEQUENCE { salt, iterations }.
        Check(Pkcs12PbeParams.GetInstance(encryption.Parameters).Iterations, path);
    }

    public static void Check(BigInteger iterations, string path)
    {
        if (iterations.CompareTo(BigInteger.ValueOf(Maximum)) > 0)
        {
            throw CertificateErrors.KdfIterationsTooHigh(path, iterations.BitLength < 63 ? iterations.LongValue : long.MaxValue, Maximum);
        }
    }
}
