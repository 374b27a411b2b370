using System;
using Org.BouncyCastle.Utilities;

namespace QlikQrs.Certificates;

/// <summary>How BouncyCastle is asked to build the key objects of the files a user imports.</summary>
internal static class BouncyCastleKeys
{
    /// <summary>
    /// Runs <paramref name="read"/> without BouncyCastle's Miller-Rabin proof that each RSA modulus is composite: 70 to
    /// 130 ms of managed big-integer arithmetic per key, and an import builds three (the client key, the certificate's
    /// public key, the root's), which was most of the time Import-QrsCertificate and a first Connect-QrsServer took.
    /// The proof guards against a hostile peer's key; these are the user's own key and the site's root, the key goes
    /// on to the platform's RSA and TLS, and BouncyCastle's cheap checks (odd, size, small factors) still run.
    /// </summary>
    public static T Read<T>(Func<T> read) => Properties.WithThreadProperty("Org.BouncyCastle.Rsa.MaxMRTests", "0", read);
}
