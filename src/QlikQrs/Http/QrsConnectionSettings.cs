using System;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Http;

/// <summary>Everything a connection is made from; fixed once the connection exists, and refused when it cannot make one.</summary>
internal sealed class QrsConnectionSettings
{
    private readonly string _computerName = null!;
    private readonly string? _virtualProxy;
    private readonly string? _headerName;
    private readonly string? _headerValue;
    private readonly string? _jwt;

    public required string ComputerName { get => _computerName; init => _computerName = ConnectionArguments.ComputerName(value); }

    public required int Port { get; init; }

    public string? VirtualProxy { get => _virtualProxy; init => _virtualProxy = ConnectionArguments.VirtualProxy(value); }

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

    public string? HeaderName { get => _headerName; init => _headerName = ConnectionArguments.HeaderName(value); }

    public string? HeaderValue { get => _headerValue; init => _headerValue = ConnectionArguments.HeaderValue(value); }

    public string? Jwt { get => _jwt; init => _jwt = ConnectionArguments.Jwt(value); }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    public int MaxRetries { get; init; } = 3;

    public Uri BaseUri
    {
        get
        {
            string prefix = VirtualProxy is null ? string.Empty : VirtualProxy + "/";
            return new Uri($"https://{ComputerName}:{Port}/{prefix}");
        }
    }
}
