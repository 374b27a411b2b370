using System;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Http;

/// <summary>Everything a connection is made from; fixed once the connection exists.</summary>
internal sealed class QrsConnectionSettings
{
    public required string ComputerName { get; init; }

    public required int Port { get; init; }

    public string? VirtualProxy { get; init; }

    public QrsAuthentication Authentication { get; init; }

    public QrsCertificate? Certificate { get; init; }

    /// <summary>The root the server's certificate must chain to; null lets the operating system decide.</summary>
    public X509Certificate2? TrustedRoot { get; init; }

    public bool SkipHostnameCheck { get; init; }

    public bool SkipCertificateCheck { get; init; }

    public string UserDirectory { get; init; } = "INTERNAL";

    public string UserId { get; init; } = "sa_api";

    public QrsSecurityContext? SecurityContext { get; init; }

    public ICredentials? Credentials { get; init; }

    public string? HeaderName { get; init; }

    public string? HeaderValue { get; init; }

    public string? Jwt { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    public int MaxRetries { get; init; } = 3;

    public Uri BaseUri
    {
        get
        {
            string prefix = string.IsNullOrEmpty(VirtualProxy) ? string.Empty : VirtualProxy!.Trim('/') + "/";
            return new Uri($"https://{ComputerName}:{Port}/{prefix}");
        }
    }
}
