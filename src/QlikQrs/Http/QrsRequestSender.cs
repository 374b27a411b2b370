using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;

namespace QlikQrs.Http;

/// <summary>
/// Sends one request on a connection and turns every way it can fail into a QrsRequestException that says what
/// happened: the HTTP status with QRS's text, a timeout, a refused connection, a refused certificate, a login page.
/// </summary>
internal static class QrsRequestSender
{
    public static async Task<HttpResponseMessage> SendAsync(QrsConnection connection, HttpRequestMessage request, CancellationToken cancellation, bool expectJson = true)
    {
        Uri shown = Shown(connection, request.RequestUri!);
        using var timeout = new CancellationTokenSource(connection.Settings.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new QrsRequestException("QrsTimeout", System.Management.Automation.ErrorCategory.OperationTimeout,
                $"QRS did not answer {request.Method} {shown.AbsolutePath} within {connection.Settings.Timeout.TotalSeconds:0} seconds. Raise -Timeout, or check that {connection.ComputerName}:{connection.Port} is the QRS.",
                request.Method.Method, shown, inner: exception);
        }
        catch (HttpRequestException exception)
        {
            throw ConnectionFailure(connection, request.Method, shown, exception);
        }

        int status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            string location = response.Headers.Location?.ToString() ?? "(nowhere)";
            response.Dispose();
            throw LoginPage(connection, request.Method, shown, $"a redirect to {location}");
        }

        if (!response.IsSuccessStatusCode)
        {
            string text = await ReadTextAsync(response, cancellation).ConfigureAwait(false);
            response.Dispose();
            if (status == 401)
            {
                throw LoginPage(connection, request.Method, shown, "401 Unauthorized", "QrsUnauthorized", text);
            }

            throw QrsRequestException.FromResponse(request.Method, shown, status, text, connection.Authentication != QrsAuthentication.Certificate);
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (expectJson && mediaType is not null && mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            response.Dispose();
            throw LoginPage(connection, request.Method, shown, "an HTML page");
        }

        return response;
    }

    /// <summary>The URL as the user should see it: without the xrfkey.</summary>
    public static Uri Shown(QrsConnection connection, Uri uri)
    {
        Uri absolute = uri.IsAbsoluteUri ? uri : new Uri(connection.BaseUri, uri);
        return new UriBuilder(absolute) { Query = XrfkeyHandler.WithoutXrfkey(absolute.Query) }.Uri;
    }

    public static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
#if NETFRAMEWORK
        cancellation.ThrowIfCancellationRequested();
        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
#else
        return await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
#endif
    }

    /// <summary>
    /// The answer broke off while it was arriving. Not retried: part of it may already have been written to the
    /// pipeline or a file.
    /// </summary>
    public static QrsRequestException Incomplete(string method, Uri uri, Exception exception) =>
        new("QrsResponseIncomplete", System.Management.Automation.ErrorCategory.ConnectionError,
            $"The connection broke while the answer to {method} {uri.AbsolutePath} was arriving ({Innermost(exception).Message}). Run the command again.",
            method, uri, inner: exception);

    private static QrsRequestException LoginPage(QrsConnection connection, HttpMethod method, Uri uri, string what, string id = "QrsLoginPageReturned", string? text = null) =>
        new(id, System.Management.Automation.ErrorCategory.AuthenticationError,
            $"QRS JSON was expected from {uri.AbsolutePath}, but {what} came back: the port or the authentication mode is wrong for this server. " +
            (connection.Authentication == QrsAuthentication.Certificate
                ? "Certificates are accepted on the QRS port (4242) without -VirtualProxy."
                : $"Check that the virtual proxy '{connection.VirtualProxy}' uses {connection.Authentication} authentication, on the proxy port (443)."),
            method.Method, uri, statusCode: what.StartsWith("401", StringComparison.Ordinal) ? 401 : null, responseText: text);

    private static QrsRequestException ConnectionFailure(QrsConnection connection, HttpMethod method, Uri uri, HttpRequestException exception)
    {
        if (connection.Trust.LastRefusal is string refusal)
        {
            return new QrsRequestException(connection.Trust.LastRefusalId!, System.Management.Automation.ErrorCategory.SecurityError, refusal, method.Method, uri, inner: exception);
        }

        if (Find<SocketException>(exception) is SocketException socket)
        {
            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? new QrsRequestException("QrsConnectionRefused", System.Management.Automation.ErrorCategory.ConnectionError,
                    $"Nothing accepts connections on {connection.ComputerName}:{connection.Port} (connection refused). Check -ComputerName and -Port: the QRS listens on 4242, the proxy on 443.",
                    method.Method, uri, inner: exception)
                : new QrsRequestException("QrsConnectionFailed", System.Management.Automation.ErrorCategory.ConnectionError,
                    $"{connection.ComputerName}:{connection.Port} could not be reached: {socket.Message}", method.Method, uri, inner: exception);
        }

        if (Find<AuthenticationException>(exception) is not null || Find<IOException>(exception) is not null && connection.Settings.Certificate is not null)
        {
            return connection.Settings.Certificate is QrsCertificate certificate
                ? new QrsRequestException("QrsClientCertificateRefused", System.Management.Automation.ErrorCategory.SecurityError,
                    $"{connection.ComputerName}:{connection.Port} ended the TLS handshake: it did not accept the client certificate '{certificate.Subject}' ({certificate.Thumbprint}, issued by '{certificate.Issuer}'). " +
                    "Use the certificates exported from this site's QMC.", method.Method, uri, inner: exception)
                : new QrsRequestException("QrsTlsFailed", System.Management.Automation.ErrorCategory.SecurityError,
                    $"The TLS handshake with {connection.ComputerName}:{connection.Port} failed: {Innermost(exception).Message}", method.Method, uri, inner: exception);
        }

        return new QrsRequestException("QrsConnectionFailed", System.Management.Automation.ErrorCategory.ConnectionError,
            $"{method} {uri.AbsolutePath} failed before QRS answered: {Innermost(exception).Message}", method.Method, uri, inner: exception);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
