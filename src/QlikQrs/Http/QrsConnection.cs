using System;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using QlikQrs.Http;

namespace QlikQrs;

/// <summary>
/// One site, one identity: the HttpClient with its own certificate, trust and request pipeline. Safe to share between
/// threads and runspaces (ForEach-Object -Parallel, runspace pools); nothing of it is process-wide.
/// </summary>
public sealed class QrsConnection : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _http;
    private readonly HttpMessageHandler _primaryHandler;
    private volatile bool _closed;

    private QrsConnection(string name, QrsConnectionSettings settings, ServiceProvider services, HttpClient http, HttpMessageHandler primaryHandler, ServerTrust trust)
    {
        Name = name;
        Settings = settings;
        _services = services;
        _http = http;
        _primaryHandler = primaryHandler;
        Trust = trust;
        Client = new QrsClient(this);
        // Read once: the root belongs to the certificate, which the user may dispose while the connection is listed.
        RootThumbprint = settings.TrustedRoot?.Thumbprint;
        ServerCertificateCheck = settings.SkipCertificateCheck ? "OFF (-SkipCertificateCheck)"
            : (RootThumbprint is null ? "machine's trust" : "root " + RootThumbprint.Substring(0, 8))
                + (settings.SkipHostnameCheck ? ", any name (-SkipHostnameCheck)" : ", host name");
    }

    /// <summary>The QRS API of this connection, typed; for scripts that want more than the cmdlets give.</summary>
    public QrsClient Client { get; }

    public string Name { get; }

    public string ComputerName => Settings.ComputerName;

    public int Port => Settings.Port;

    public string? VirtualProxy => Settings.VirtualProxy;

    public QrsAuthentication Authentication => Settings.Authentication;

    /// <summary>Who the calls are made as: DIR\id for certificates, the header's value or the JWT for a proxy.</summary>
    public string User => Settings.Authentication switch
    {
        QrsAuthentication.Certificate => $@"{Settings.UserDirectory}\{Settings.UserId}",
        QrsAuthentication.Header => $"{Settings.HeaderName}: {Settings.HeaderValue}",
        QrsAuthentication.Jwt => "JWT bearer",
        _ => Settings.Credentials is System.Net.NetworkCredential credential && credential.UserName.Length > 0
            ? $@"{credential.Domain}\{credential.UserName}".TrimStart('\\')
            : $@"{Environment.UserDomainName}\{Environment.UserName}",
    };

    /// <summary>The QRS build version /qrs/about reported when the connection was made.</summary>
    public string? QrsVersion { get; internal set; }

    public string? RootThumbprint { get; }

    public string? CertificateThumbprint => Settings.Certificate?.Thumbprint;

    public Uri BaseUri => Settings.BaseUri;

    public DateTime ConnectedAt { get; } = DateTime.Now;

    /// <summary>Whether -SkipCertificateCheck was given: any server certificate is accepted.</summary>
    public bool SkipCertificateCheck => Settings.SkipCertificateCheck;

    /// <summary>Whether -SkipHostnameCheck was given: the server certificate must chain to the root but need not name the host.</summary>
    public bool SkipHostnameCheck => Settings.SkipHostnameCheck;

    /// <summary>How the server's certificate is checked, in the words the default view shows; "OFF" stands out on purpose.</summary>
    public string ServerCertificateCheck { get; }

    /// <summary>Whether Disconnect-QrsServer (or Dispose) closed the connection; a closed one makes no more calls.</summary>
    public bool IsClosed => _closed;

    internal QrsConnectionSettings Settings { get; }

    /// <summary>The connection's HttpClient; a closed connection says so in a QrsConnectionClosed error.</summary>
    internal HttpClient Http => _closed
        ? throw new QrsRequestException("QrsConnectionClosed", $"The connection '{Name}' was closed by Disconnect-QrsServer.", string.Empty, BaseUri,
            advice: "Connect again with Connect-QrsServer, and use the new connection.")
        : _http;

    internal ServerTrust Trust { get; }

    public override string ToString() => $"{Name} ({BaseUri}, {Authentication}, {User})" + (Settings.SkipCertificateCheck ? " [server certificate NOT checked]" : string.Empty);

    public void Dispose()
    {
        _closed = true;
        _http.Dispose();
        // The factory keeps handlers for their lifetime, here the connection's, and does not dispose them with the
        // client: disposing the primary handler closes the pooled sockets now rather than at the pool's idle timeout.
        _primaryHandler.Dispose();
        _services.Dispose();
    }

    /// <summary>
    /// A certificate connection for programs without PowerShell (a QrsClient to call through); Connect-QrsServer does
    /// the same and also proves it with /qrs/about. The server must chain to the certificate's root.
    /// </summary>
    public static QrsConnection Open(string computerName, QrsCertificate certificate, int port = 4242, string userDirectory = "INTERNAL", string userId = "sa_api", TimeSpan? timeout = null)
    {
        (certificate ?? throw new ArgumentNullException(nameof(certificate))).EnsureNotDisposed();
        return Create($"{computerName}:{port}", new QrsConnectionSettings
        {
            ComputerName = computerName,
            Port = port,
            Authentication = QrsAuthentication.Certificate,
            Certificate = certificate,
            TrustedRoot = certificate.Root,
            UserDirectory = userDirectory,
            UserId = userId,
            Timeout = timeout ?? TimeSpan.FromSeconds(100),
        });
    }

    /// <summary>Builds the connection's HttpClient with Microsoft.Extensions.Http: retry, xrfkey, identity, then TLS.</summary>
    internal static QrsConnection Create(string name, QrsConnectionSettings settings)
    {
        var trust = new ServerTrust(settings);
        HttpMessageHandler? primary = null;
        var services = new ServiceCollection();
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(() => primary = PrimaryHandler(settings, trust))
            .AddHttpMessageHandler(() => new RetryHandler(settings.MaxRetries, TimeSpan.FromMilliseconds(500)))
            .AddHttpMessageHandler(() => new XrfkeyHandler())
            .AddHttpMessageHandler(() => new QlikIdentityHandler(settings))
            .AddHttpMessageHandler(() => new AnswerWitness(trust))
            // One handler chain for the life of the connection: its certificate and trust do not rotate.
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan);
        ServiceProvider provider = services.BuildServiceProvider();
        // CreateClient builds the chain, so the primary handler exists once it returns.
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        http.BaseAddress = settings.BaseUri;
        // Timeouts are per request (QrsRequestSender), so that a long download is not cut off.
        http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        return new QrsConnection(name, settings, provider, http, primary!, trust);
    }

    private static HttpMessageHandler PrimaryHandler(QrsConnectionSettings settings, ServerTrust trust)
    {
        bool proxy = settings.Authentication != QrsAuthentication.Certificate;
#if NETFRAMEWORK
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = proxy,
            ClientCertificateOptions = ClientCertificateOption.Manual,
            SslProtocols = System.Security.Authentication.SslProtocols.Tls12,
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors),
        };
        if (settings.Certificate is not null)
        {
            handler.ClientCertificates.Add(settings.Certificate.Certificate);
        }

        if (settings.Authentication == QrsAuthentication.Windows)
        {
            handler.UseDefaultCredentials = settings.Credentials is null;
            handler.Credentials = settings.Credentials;
        }

        return handler;
#else
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = proxy,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    trust.Validate(certificate as X509Certificate2 ?? (certificate is null ? null : new X509Certificate2(certificate)), errors),
            },
        };
        if (settings.Certificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { settings.Certificate.Certificate };
        }

        if (settings.Authentication == QrsAuthentication.Windows)
        {
            handler.Credentials = settings.Credentials ?? System.Net.CredentialCache.DefaultCredentials;
        }

        return handler;
#endif
    }
}
