using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Http;

/// <summary>
/// Sends one request on a connection and turns every way it can fail before the answer's headers into a
/// QrsRequestException that says what happened: the HTTP status with QRS's text, a timeout, a refused connection, a
/// refused certificate, a login page. What can fail while the body arrives is <see cref="QrsResponse"/>'s concern.
/// </summary>
internal static class QrsRequestSender
{
    public static async Task<QrsResponse> SendAsync(QrsConnection connection, HttpRequestMessage request, CancellationToken cancellation, bool expectJson = true)
    {
        Uri shown = Shown(connection, request.RequestUri!);
        var exchange = new QrsExchange(connection, request.Method, shown, cancellation);
        (request.Content as QrsTransfer.UploadContent)?.ReportTo(exchange);
        HttpResponseMessage response;
        try
        {
            response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, exchange.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (exchange.TimedOut)
        {
            exchange.Dispose();
            throw exchange.Timeout(exception, "answer");
        }
        catch (HttpRequestException exception)
        {
            exchange.Dispose();
            throw ConnectionFailure(connection, request.Method, shown, exception);
        }
        catch
        {
            exchange.Dispose();
            throw;
        }

        var answer = new QrsResponse(exchange, response);
        try
        {
            await ThrowUnlessSuccessAsync(connection, request.Method, shown, answer, expectJson).ConfigureAwait(false);
            return answer;
        }
        catch
        {
            answer.Dispose();
            throw;
        }
    }

    private static async Task ThrowUnlessSuccessAsync(QrsConnection connection, HttpMethod method, Uri shown, QrsResponse answer, bool expectJson)
    {
        HttpResponseMessage response = answer.Message;
        int status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            throw LoginPage(connection, method, shown, $"a redirect to {response.Headers.Location?.ToString() ?? "(nowhere)"}");
        }

        if (!response.IsSuccessStatusCode)
        {
            string text = await answer.ReadTextAsync().ConfigureAwait(false);
            if (status == 401)
            {
                throw LoginPage(connection, method, shown, "401 Unauthorized", "QrsUnauthorized", text);
            }

            throw QrsRequestException.FromResponse(method, shown, status, text, connection.Authentication != QrsAuthentication.Certificate);
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (expectJson && mediaType is not null && mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            throw LoginPage(connection, method, shown, "an HTML page");
        }
    }

    /// <summary>The URL as the user should see it: without the xrfkey.</summary>
    public static Uri Shown(QrsConnection connection, Uri uri)
    {
        Uri absolute = uri.IsAbsoluteUri ? uri : new Uri(connection.BaseUri, uri);
        return new UriBuilder(absolute) { Query = XrfkeyHandler.WithoutXrfkey(absolute.Query) }.Uri;
    }

    private static QrsRequestException LoginPage(QrsConnection connection, HttpMethod method, Uri uri, string what, string id = "QrsLoginPageReturned", string? text = null) =>
        new(id, $"QRS JSON was expected from {uri.AbsolutePath}, but {what} came back: the port or the authentication mode is wrong for this server.",
            method.Method, uri, statusCode: what.StartsWith("401", StringComparison.Ordinal) ? 401 : null, responseText: text,
            advice: connection.Authentication == QrsAuthentication.Certificate
                ? "Certificates are accepted on the QRS port (4242) without -VirtualProxy."
                : $"Check that the virtual proxy '{connection.VirtualProxy}' uses {connection.Authentication} authentication, on the proxy port (443).");

    private static QrsRequestException ConnectionFailure(QrsConnection connection, HttpMethod method, Uri uri, HttpRequestException exception)
    {
        if (connection.Trust.LastRefusal is string refusal)
        {
            return new QrsRequestException(connection.Trust.LastRefusalId!, refusal, method.Method, uri, inner: exception);
        }

        if (Find<SocketException>(exception) is SocketException socket)
        {
            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? new QrsRequestException("QrsConnectionRefused", $"Nothing accepts connections on {connection.ComputerName}:{connection.Port} (connection refused).",
                    method.Method, uri, inner: exception, advice: "Check -ComputerName and -Port: the QRS listens on 4242, the proxy on 443.")
                : new QrsRequestException("QrsConnectionFailed", $"{connection.ComputerName}:{connection.Port} could not be reached: {socket.Message}", method.Method, uri, inner: exception);
        }

        if (Find<AuthenticationException>(exception) is not null || Find<IOException>(exception) is not null && connection.Settings.Certificate is not null)
        {
            return connection.Settings.Certificate is QrsCertificate certificate
                ? new QrsRequestException("QrsClientCertificateRefused",
                    $"{connection.ComputerName}:{connection.Port} ended the TLS handshake: it did not accept the client certificate '{certificate.Subject}' ({certificate.Thumbprint}, issued by '{certificate.Issuer}').",
                    method.Method, uri, inner: exception, advice: "Use the certificates exported from this site's QMC.")
                : new QrsRequestException("QrsTlsFailed", $"The TLS handshake with {connection.ComputerName}:{connection.Port} failed: {Innermost(exception).Message}", method.Method, uri, inner: exception);
        }

        return new QrsRequestException("QrsConnectionFailed", $"{method} {uri.AbsolutePath} failed before QRS answered: {Innermost(exception).Message}", method.Method, uri, inner: exception);
    }

    internal static T? Find<T>(Exception exception)
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

    internal static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
