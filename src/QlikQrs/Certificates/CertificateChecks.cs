using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
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

    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

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
        bool isAuthority;
        try
        {
            isAuthority = root.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority);
        }
        catch (CryptographicException exception)
        {
            // The extensions are decoded only when read: a damaged one shows here first.
            throw CertificateErrors.Corrupt(rootSource, "root certificate", exception);
        }

        if (!isAuthority)
        {
            throw CertificateErrors.RootNotCertificateAuthority(root, rootSource);
        }
    }

    /// <summary>
    /// Refuses what cannot identify a client to QRS: a certificate authority (the site's root), the node's service
    /// certificate (server.pem), or a certificate whose extended key usage leaves out client authentication. Qlik Sense
    /// issues the client certificate for clients and the service certificate for servers, and QRS checks the usage as a
    /// TLS server does.
    /// </summary>
    public static void CheckClientUsage(X509Certificate2 certificate, string source)
    {
        string? refusal;
        try
        {
            refusal = ClientUsageRefusal(certificate);
        }
        catch (CryptographicException exception)
        {
            // The extensions are decoded only when read: a damaged one shows here first.
            throw CertificateErrors.Corrupt(source, "certificate", exception);
        }

        if (refusal is not null)
        {
            throw CertificateErrors.NotAClientCertificate(certificate, refusal);
        }
    }

    /// <summary>What the certificate is instead of a client certificate, or null when it can be one.</summary>
    private static string? ClientUsageRefusal(X509Certificate2 certificate)
    {
        string? role = QlikRole(certificate);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority) || string.Equals(role, "Root", StringComparison.OrdinalIgnoreCase))
        {
            return "is a certificate authority (the site's root, root.pem): it issues certificates and identifies no client";
        }

        if (string.Equals(role, "Service", StringComparison.OrdinalIgnoreCase) || string.Equals(role, "Server", StringComparison.OrdinalIgnoreCase))
        {
            return "is a Qlik Sense node's service certificate (server.pem, Qlik role '" + role + "'), which Qlik Sense issues for the server side of TLS";
        }

        X509EnhancedKeyUsageExtension? usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is ClientAuthenticationOid or AnyExtendedKeyUsageOid))
        {
            return $"may only be used for {string.Join(", ", usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.FriendlyName ?? o.Value))} (its extended key usage), not for client authentication";
        }

        return null;
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
