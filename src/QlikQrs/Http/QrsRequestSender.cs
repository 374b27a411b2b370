using System;
using System.Linq;
using System.Net.Http;
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
        QrsRequestOptions.Set(request, RetryHandler.TimeoutOption, connection.Settings.Timeout);
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
            throw ConnectionFailure.Describe(connection, request.Method, shown, exception);
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

            if (status == 414)
            {
                throw UrlTooLong(method, shown, "more than QRS takes (414)", status, text);
            }

            // The retries gave up on this answer because its wait was longer than -Timeout: say so, not "no answer".
            if (status is 429 or 503 && RetryHandler.RequestedWait(response) is TimeSpan wait && wait > connection.Settings.Timeout)
            {
                throw new QrsRequestException(status == 429 ? "QrsTooManyRequests" : "QrsServerError",
                    $"QRS answered {method} {shown.AbsolutePath} with {status} and asked to try again in {wait.TotalSeconds:0} seconds, longer than the connection's -Timeout of {connection.Settings.Timeout.TotalSeconds:0} seconds.",
                    method.Method, shown, status, text, advice: "Try again later, or connect with a -Timeout longer than the wait QRS asks for.");
            }

            throw QrsRequestException.FromResponse(method, shown, status, text, connection.Authentication != QrsAuthentication.Certificate);
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (expectJson && mediaType is not null && mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            throw LoginPage(connection, method, shown, "an HTML page");
        }
    }

    public static QrsRequestException UrlTooLong(HttpMethod method, Uri shown, string why, int? status = null, string? text = null, Exception? inner = null) =>
        new("QrsUrlTooLong",
            $"The URL of {method} {QrsUrl.Shown(Uri.UnescapeDataString(shown.PathAndQuery))} is {shown.AbsoluteUri.Length:N0} characters long, {why}.",
            method.Method, shown, status, text, inner: inner, advice: "A name, filter or other value given is too long; shorten it, or narrow the call in steps.");

    /// <summary>The URL as the user should see it: without the xrfkey, and with the password of an extension upload (pwd) masked.</summary>
    public static Uri Shown(QrsConnection connection, Uri uri)
    {
        Uri absolute = uri.IsAbsoluteUri ? uri : new Uri(connection.BaseUri, uri);
        string query = string.Join("&", XrfkeyHandler.WithoutXrfkey(absolute.Query).Split('&')
            .Select(p => p.StartsWith("pwd=", StringComparison.OrdinalIgnoreCase) ? "pwd=***" : p));
        return new UriBuilder(absolute) { Query = query }.Uri;
    }

    private static QrsRequestException LoginPage(QrsConnection connection, HttpMethod method, Uri uri, string what, string id = "QrsLoginPageReturned", string? text = null) =>
        new(id, $"QRS JSON was expected from {uri.AbsolutePath}, but {what} came back: the port or the authentication mode is wrong for this server.",
            method.Method, uri, statusCode: what.StartsWith("401", StringComparison.Ordinal) ? 401 : null, responseText: text,
            advice: connection.Authentication == QrsAuthentication.Certificate
                ? "Certificates are accepted on the QRS port (4242) without -VirtualProxy."
                : $"Check that the virtual proxy '{connection.VirtualProxy}' uses {connection.Authentication} authentication, on the proxy port (443).");

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
