using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Sandbox.Certificates;

/// <summary>
/// Mints certificates shaped like the ones Qlik Sense issues: a root <c>CN=&lt;host&gt;-CA</c>, a client
/// <c>CN=QlikClient</c> and a server <c>CN=&lt;host&gt;</c>, each with Qlik's marker extension.
/// </summary>
public static class QmcCertificateFactory
{
    /// <summary>Qlik's marker extension; its value is an OCTET STRING naming the role.</summary>
    public const string QlikMarkerOid = "1.3.6.1.5.5.7.13.3";

    public static X509Certificate2 CreateRoot(string hostName, bool isCertificateAuthority = true, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}-CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCertificateAuthority, false, 0, true));
        if (isCertificateAuthority)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(Marker("Root"));
        DateTimeOffset from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        return request.CreateSelfSigned(from, notAfter ?? from.AddYears(10));
    }

    public static X509Certificate2 CreateClient(X509Certificate2 root, ClientKeyKind keyKind = ClientKeyKind.Rsa2048, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using AsymmetricAlgorithm key = keyKind == ClientKeyKind.EcdsaP256 ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        CertificateRequest request = key is ECDsa ecdsa
            ? new CertificateRequest("CN=QlikClient", ecdsa, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=QlikClient", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // As the QMC issues it: no extended key usage, only the marker.
        request.CertificateExtensions.Add(Marker("Client"));
        return Issue(request, root, key, notBefore, notAfter);
    }

    public static X509Certificate2 CreateServer(X509Certificate2 root, string hostName, IEnumerable<string> dnsNames, IEnumerable<System.Net.IPAddress>? addresses = null)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (System.Net.IPAddress address in addresses ?? Array.Empty<System.Net.IPAddress>())
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(Marker("Service"));
        return Issue(request, root, key, null, null);
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 root, AsymmetricAlgorithm key, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        DateTimeOffset from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset until = notAfter ?? from.AddYears(10);
        // A child may not outlive its issuer in the eyes of CertificateRequest.
        if (until > root.NotAfter)
        {
            until = root.NotAfter;
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // The issuer's own key signs, whatever the algorithm of the key being certified (an ECDSA client under the RSA root).
        using RSA rootKey = root.GetRSAPrivateKey() ?? throw new ArgumentException("The root has no RSA private key.", nameof(root));
        using X509Certificate2 issued = request.Create(
            root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1), from, until, serial);
        return key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => issued.CopyWithPrivateKey(ecdsa),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
    }

    private static X509Extension Marker(string role)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(System.Text.Encoding.ASCII.GetBytes(role));
        return new X509Extension(QlikMarkerOid, writer.Encode(), critical: false);
    }
}

public enum ClientKeyKind
{
    Rsa2048,
    EcdsaP256,
}
