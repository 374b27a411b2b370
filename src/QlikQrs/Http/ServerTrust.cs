using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Http;

/// <summary>
/// The decision to trust a QRS's server certificate, for one connection only: it must chain to the site's root.pem
/// (pinned, whatever the machine trusts) and name the host, unless the user explicitly skipped a check. Without a
/// root the operating system decides. The last refusal is kept, in words, for the diagnosis, and whether the server has
/// answered at all (it accepted the client certificate then).
/// </summary>
internal sealed class ServerTrust
{
    private readonly X509Certificate2? _root;
    private readonly bool _skipHostname;
    private readonly bool _skipAll;
    private readonly string _host;
    private volatile string? _lastRefusal;
    private volatile bool _serverAnswered;

    public ServerTrust(QrsConnectionSettings settings)
    {
        _root = settings.TrustedRoot;
        _skipHostname = settings.SkipHostnameCheck;
        _skipAll = settings.SkipCertificateCheck;
        _host = settings.ComputerName;
    }

    /// <summary>Why the last server certificate was refused, or null.</summary>
    public string? LastRefusal => _lastRefusal;

    /// <summary>The error id that goes with <see cref="LastRefusal"/>.</summary>
    public string? LastRefusalId { get; private set; }

    /// <summary>Whether the server has answered a request on this connection, and so accepted its client certificate.</summary>
    public bool ServerAnswered => _serverAnswered;

    public void NoteAnswer() => _serverAnswered = true;

    public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (_skipAll)
        {
            return true;
        }

        if (certificate is null)
        {
            return Refuse("QrsServerCertificateMissing", "The server sent no certificate.");
        }

        bool chainOk = _root is null ? (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 : ChainsToRoot(certificate, _root);
        if (!chainOk)
        {
            return Refuse("QrsServerCertificateUntrusted", _root is null
                ? $"The server certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') is not trusted by this machine. Give the site's root.pem (Import-QrsCertificate, or -TrustedRoot)."
                : $"The server certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') was not issued by the root '{_root.Subject}' ({_root.Thumbprint}) of the certificates used. Check -ComputerName, or use the root.pem of this site.");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !_skipHostname)
        {
            return Refuse("QrsServerNameMismatch",
                $"The server certificate does not name '{_host}'; it names {NamesOn(certificate)}. Connect with one of those names, or use -SkipHostnameCheck (the root is still checked).");
        }

        _lastRefusal = null;
        LastRefusalId = null;
        return true;
    }

    private bool Refuse(string id, string reason)
    {
        LastRefusalId = id;
        _lastRefusal = reason;
        return false;
    }

    private static bool ChainsToRoot(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
#if NETFRAMEWORK
        // .NET Framework has no custom trust store: build with the root as an extra certificate, accept that the
        // machine does not trust it, and require the chain to end at exactly that root.
        chain.ChainPolicy.ExtraStore.Add(root);
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        if (!chain.Build(certificate))
        {
            return false;
        }

        X509Certificate2 top = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        return string.Equals(top.Thumbprint, root.Thumbprint, StringComparison.OrdinalIgnoreCase);
#else
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        return chain.Build(certificate);
#endif
    }

    /// <summary>The DNS names and addresses in the certificate's subject alternative names, or its subject.</summary>
    internal static string NamesOn(X509Certificate2 certificate)
    {
        X509Extension? san = certificate.Extensions["2.5.29.17"];
        string names = san is null ? string.Empty : san.Format(false);
        return string.IsNullOrWhiteSpace(names) ? $"only '{certificate.Subject}'" : string.Join(", ", names.Split(new[] { ", ", "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()));
    }
}
