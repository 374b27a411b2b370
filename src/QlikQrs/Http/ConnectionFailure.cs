using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace QlikQrs.Http;

/// <summary>What went wrong before QRS answered, whichever runtime's exception says it.</summary>
internal enum ConnectionFailureKind
{
    /// <summary>The name does not resolve.</summary>
    NameNotFound,

    /// <summary>Nothing accepts connections on the port.</summary>
    Refused,

    /// <summary>The host or its network cannot be reached.</summary>
    Unreachable,

    /// <summary>The transport gave up waiting (its own timeout, not -Timeout).</summary>
    TimedOut,

    /// <summary>The TLS handshake failed.</summary>
    TlsHandshake,

    /// <summary>The server certificate was not trusted.</summary>
    ServerUntrusted,

    /// <summary>The connection was closed or reset before the answer, without saying at which step.</summary>
    Closed,

    /// <summary>
    /// Closed while a URL longer than web servers take by default (Kestrel 8 KB, HTTP.sys 16 KB) was being sent: such a
    /// server may cut the connection instead of answering 414, and will again.
    /// </summary>
    UrlCutOff,

    /// <summary>None of the above.</summary>
    Other,
}

/// <summary>
/// Turns a failure before QRS answered into the error a user reads, the same on both runtimes: .NET 8 says it with
/// SocketException, AuthenticationException and HttpRequestError under HttpRequestException; .NET Framework (Windows
/// PowerShell 5.1) with a WebException and its Status. Also says which failures are worth another attempt.
/// </summary>
internal static class ConnectionFailure
{
    public static ConnectionFailureKind Classify(Exception exception, Uri? uri = null)
    {
        ConnectionFailureKind kind = ClassifyException(exception);
        return kind == ConnectionFailureKind.Closed && uri is not null && (uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString).Length > 8 * 1024
            ? ConnectionFailureKind.UrlCutOff
            : kind;
    }

    private static ConnectionFailureKind ClassifyException(Exception exception)
    {
        if (QrsRequestSender.Find<WebException>(exception) is WebException web && FromStatus(web) is ConnectionFailureKind fromStatus)
        {
            return fromStatus;
        }

#if NET8_0_OR_GREATER
        HttpRequestError error = QrsRequestSender.Find<HttpRequestException>(exception)?.HttpRequestError ?? HttpRequestError.Unknown;
        if (error == HttpRequestError.SecureConnectionError)
        {
            return ConnectionFailureKind.TlsHandshake;
        }

        if (error == HttpRequestError.NameResolutionError)
        {
            return ConnectionFailureKind.NameNotFound;
        }
#endif

        if (QrsRequestSender.Find<AuthenticationException>(exception) is not null)
        {
            return ConnectionFailureKind.TlsHandshake;
        }

        if (QrsRequestSender.Find<SocketException>(exception) is SocketException socket)
        {
            return FromSocket(socket);
        }

        return QrsRequestSender.Find<IOException>(exception) is not null ? ConnectionFailureKind.Closed : ConnectionFailureKind.Other;
    }

    /// <summary>
    /// Whether another attempt can succeed: a name that does not resolve, a failed handshake or an untrusted server
    /// certificate, or a URL the server cuts off, will fail the same way again; a refused, dropped or slow connection may not.
    /// </summary>
    public static bool IsWorthRetrying(Exception exception, Uri? uri = null) =>
        Classify(exception, uri) is not (ConnectionFailureKind.NameNotFound or ConnectionFailureKind.TlsHandshake or ConnectionFailureKind.ServerUntrusted or ConnectionFailureKind.UrlCutOff);

    public static QrsRequestException Describe(QrsConnection connection, HttpMethod method, Uri uri, Exception exception)
    {
        string server = $"{connection.ComputerName}:{connection.Port}";
        ConnectionFailureKind kind = Classify(exception, uri);
        if (kind is ConnectionFailureKind.TlsHandshake or ConnectionFailureKind.ServerUntrusted && connection.Trust.LastRefusal is string refusal)
        {
            return new QrsRequestException(connection.Trust.LastRefusalId!, refusal, method.Method, uri, inner: exception);
        }

        QrsCertificate? certificate = connection.Settings.Certificate;
        string cause = QrsRequestSender.Innermost(exception).Message;
        if (certificate is { IsDisposed: true })
        {
            return new QrsRequestException("QrsClientCertificateDisposed",
                $"The client certificate '{certificate.Subject}' ({certificate.Thumbprint}) of the connection '{connection.Name}' was disposed after connecting, so no new TLS session can be made with it.",
                method.Method, uri, inner: exception, advice: "Import the certificate again and connect with it (Connect-QrsServer).");
        }

        return kind switch
        {
            ConnectionFailureKind.NameNotFound => new QrsRequestException("QrsConnectionFailed",
                $"The name '{connection.ComputerName}' was not found: no name server or hosts file knows it ({cause}).",
                method.Method, uri, inner: exception, advice: "Check -ComputerName: the node's name as the QMC lists it, or its address."),
            ConnectionFailureKind.Refused => new QrsRequestException("QrsConnectionRefused", $"Nothing accepts connections on {server} (connection refused).",
                method.Method, uri, inner: exception, advice: "Check -ComputerName and -Port: the QRS listens on 4242, the proxy on 443."),
            ConnectionFailureKind.Unreachable => new QrsRequestException("QrsConnectionFailed", $"{server} could not be reached: {cause}",
                method.Method, uri, inner: exception),
            ConnectionFailureKind.TimedOut => new QrsRequestException("QrsTimeout", $"{server} did not respond to {method} {uri.AbsolutePath} in time: {cause}",
                method.Method, uri, inner: exception, advice: $"Check that {connection.ComputerName} is the QRS node and that a firewall lets this machine reach port {connection.Port}."),
            ConnectionFailureKind.TlsHandshake when certificate is not null => new QrsRequestException("QrsClientCertificateRefused",
                $"{server} ended the TLS handshake: it did not accept the client certificate '{certificate.Subject}' ({certificate.Thumbprint}, issued by '{certificate.Issuer}').",
                method.Method, uri, inner: exception, advice: "Use the certificates exported from this site's QMC."),
            ConnectionFailureKind.UrlCutOff => QrsRequestSender.UrlTooLong(method, uri,
                $"and {server} closed the connection while it was being sent, as a server does with a URL longer than it takes ({cause})", inner: exception),
            // A server that refuses a client certificate after the handshake (TLS 1.3) often just resets the connection;
            // one that has answered before accepted the certificate, so a later close is only a close.
            ConnectionFailureKind.Closed when certificate is not null && !connection.Trust.ServerAnswered => new QrsRequestException("QrsClientCertificateRefused",
                $"{server} closed the connection before answering ({cause}): it probably refused the client certificate '{certificate.Subject}' " +
                $"({certificate.Thumbprint}, issued by '{certificate.Issuer}'), as a QRS does with a certificate from another site.",
                method.Method, uri, inner: exception,
                advice: $"Use the certificates exported from this site's QMC. If they are, something between this machine and port {connection.Port} (a proxy or a firewall that inspects TLS) may be cutting the connection."),
            ConnectionFailureKind.Closed => new QrsRequestException("QrsConnectionFailed",
                $"{server} closed the connection before answering {method} {uri.AbsolutePath}: {cause}",
                method.Method, uri, inner: exception, advice: "QRS or something on the way dropped the call; try again, and for a change first check whether it was made."),
            ConnectionFailureKind.TlsHandshake => new QrsRequestException("QrsTlsFailed", $"The TLS handshake with {server} failed: {cause}",
                method.Method, uri, inner: exception),
            ConnectionFailureKind.ServerUntrusted => new QrsRequestException("QrsServerCertificateUntrusted",
                $"The server certificate of {server} is not trusted: {cause}",
                method.Method, uri, inner: exception, advice: "Give the site's root.pem (Import-QrsCertificate, or -TrustedRoot), and connect with a name the certificate holds."),
            _ => new QrsRequestException("QrsConnectionFailed", $"{method} {uri.AbsolutePath} failed before QRS answered: {cause}",
                method.Method, uri, inner: exception),
        };
    }

    /// <summary>.NET Framework's word for the failure; null where the status says nothing the inner exceptions do not.</summary>
    private static ConnectionFailureKind? FromStatus(WebException web) => web.Status switch
    {
        WebExceptionStatus.NameResolutionFailure or WebExceptionStatus.ProxyNameResolutionFailure => ConnectionFailureKind.NameNotFound,
        WebExceptionStatus.ConnectFailure => QrsRequestSender.Find<SocketException>(web) is SocketException socket ? FromSocket(socket) : ConnectionFailureKind.Unreachable,
        WebExceptionStatus.SecureChannelFailure => ConnectionFailureKind.TlsHandshake,
        WebExceptionStatus.TrustFailure => ConnectionFailureKind.ServerUntrusted,
        WebExceptionStatus.Timeout => ConnectionFailureKind.TimedOut,
        WebExceptionStatus.SendFailure or WebExceptionStatus.ReceiveFailure or WebExceptionStatus.ConnectionClosed
            or WebExceptionStatus.KeepAliveFailure or WebExceptionStatus.PipelineFailure => ConnectionFailureKind.Closed,
        _ => null,
    };

    private static ConnectionFailureKind FromSocket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ConnectionFailureKind.NameNotFound,
        SocketError.ConnectionRefused => ConnectionFailureKind.Refused,
        SocketError.TimedOut => ConnectionFailureKind.TimedOut,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.Disconnecting or SocketError.NotConnected
            => ConnectionFailureKind.Closed,
        _ => ConnectionFailureKind.Unreachable,
    };
}
