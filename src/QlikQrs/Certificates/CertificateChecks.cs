using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace QlikQrs.Certificates;

/// <summary>What makes a certificate fit to authenticate to a QRS, checked before the user first connects.</summary>
internal static class CertificateChecks
{
    /// <summary>The extension Qlik Sense puts on the certificates it issues; its value names the role.</summary>
    public const string QlikMarkerOid = "1.3.6.1.5.5.7.13.3";

    public static readonly TimeSpan ExpiryWarningPeriod = TimeSpan.FromDays(30);

    public static void CheckIssuedBy(X509Certificate2 client, X509Certificate2 root, AsymmetricKeyParameter rootKey, string rootSource)
    {
        bool issued;
        try
        {
            new X509CertificateParser().ReadCertificate(client.RawData).Verify(rootKey);
            issued = true;
        }
        catch (Exception)
        {
            // BouncyCastle signals a bad signature, a key of another algorithm and unreadable signature parameters
            // with a dozen exception types; for the user each means the same: this root did not sign it.
            issued = false;
        }

        if (!issued)
        {
            throw CertificateErrors.NotIssuedByRoot(client, root, rootSource);
        }
    }

    public static void CheckCertificateAuthority(X509Certificate2 root, string rootSource)
    {
        bool isAuthority = root.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority);
        if (!isAuthority)
        {
            throw CertificateErrors.RootNotCertificateAuthority(root, rootSource);
        }
    }

    public static void CheckValidity(X509Certificate2 certificate, DateTime utcNow)
    {
        if (certificate.NotAfter.ToUniversalTime() < utcNow)
        {
            throw CertificateErrors.Expired(certificate);
        }

        if (certificate.NotBefore.ToUniversalTime() > utcNow)
        {
            throw CertificateErrors.NotYetValid(certificate);
        }
    }

    /// <summary>A warning when the certificate expires within <see cref="ExpiryWarningPeriod"/>, else null.</summary>
    public static string? ExpiryWarning(X509Certificate2 certificate, DateTime utcNow)
    {
        TimeSpan left = certificate.NotAfter.ToUniversalTime() - utcNow;
        return left < ExpiryWarningPeriod ? CertificateErrors.ExpiringSoon(certificate, left) : null;
    }

    /// <summary>The role Qlik's marker extension names ("Client", "Root", "Service"), or null without one.</summary>
    public static string? QlikRole(X509Certificate2 certificate)
    {
        X509Extension? marker = certificate.Extensions[QlikMarkerOid];
        if (marker is null)
        {
            return null;
        }

        try
        {
            return Asn1Object.FromByteArray(marker.RawData) switch
            {
                Asn1OctetString octets => Encoding.ASCII.GetString(octets.GetOctets()),
                IAsn1String text => text.GetString(),
                _ => null,
            };
        }
        catch (IOException)
        {
            return Encoding.ASCII.GetString(marker.RawData);
        }
    }
}
