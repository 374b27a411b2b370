using System;
using System.Management.Automation;
using System.Net.Http;

namespace QlikQrs;

/// <summary>
/// A QRS call that did not succeed: a non-2xx answer (with its status code and QRS's text), a timeout, a connection
/// or trust failure. <see cref="ErrorId"/> names the case, for example <c>QrsConflict</c>.
/// </summary>
public sealed class QrsRequestException : Exception
{
    internal QrsRequestException(string errorId, ErrorCategory category, string message, string method, Uri? uri, int? statusCode = null, string? responseText = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Method = method;
        Uri = uri;
        StatusCode = statusCode;
        ResponseText = responseText;
    }

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    public string Method { get; }

    /// <summary>The URL called, without its xrfkey.</summary>
    public Uri? Uri { get; }

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>The body QRS answered with (plain text for QRS errors).</summary>
    public string? ResponseText { get; }

    public ErrorRecord ToErrorRecord()
    {
        var record = new ErrorRecord(this, ErrorId, Category, Uri?.ToString());
        record.ErrorDetails = new ErrorDetails(Message)
        {
            RecommendedAction = $"{Method} {Uri}{(StatusCode is int status ? $" -> {status}" : string.Empty)}" +
                (string.IsNullOrEmpty(ResponseText) ? string.Empty : ": " + ResponseText),
        };
        return record;
    }

    internal static QrsRequestException FromResponse(HttpMethod method, Uri uri, int status, string text, bool viaProxy)
    {
        string shown = string.IsNullOrWhiteSpace(text) ? "(no text)" : text.Trim();
        return status switch
        {
            400 => new("QrsBadRequest", ErrorCategory.InvalidArgument, $"QRS refused {method} {uri.AbsolutePath} as malformed: {shown}", method.Method, uri, status, text),
            401 => new("QrsUnauthorized", ErrorCategory.AuthenticationError,
                "QRS answered 401 Unauthorized: the credentials were not accepted. " +
                (viaProxy ? "Check the virtual proxy's authentication method and the credentials given." : "Certificates go to the QRS port (4242); Windows, header and JWT authentication go to the proxy (443) with -VirtualProxy."),
                method.Method, uri, status, text),
            403 => new("QrsForbidden", ErrorCategory.PermissionDenied, text.IndexOf("XSRF", StringComparison.OrdinalIgnoreCase) >= 0
                ? "QRS's XSRF check failed: the xrfkey query parameter and the X-Qlik-Xrfkey header did not match. Something between this machine and QRS may change the URL or drop headers."
                : $"QRS refused {method} {uri.AbsolutePath}: {shown}", method.Method, uri, status, text),
            404 => new("QrsNotFound", ErrorCategory.ObjectNotFound, $"QRS has nothing at {method} {uri.AbsolutePath}: {shown}", method.Method, uri, status, text),
            409 => new("QrsConflict", ErrorCategory.ResourceExists,
                "The entity changed since it was read (409 Conflict). Get it again and apply the change to the fresh copy.", method.Method, uri, status, text),
            429 => new("QrsTooManyRequests", ErrorCategory.LimitsExceeded, $"QRS asked to slow down (429) and the retries ran out: {shown}", method.Method, uri, status, text),
            >= 500 => new("QrsServerError", ErrorCategory.InvalidResult, $"QRS failed with {status}: {shown}", method.Method, uri, status, text),
            _ => new("QrsRequestFailed", ErrorCategory.InvalidResult, $"QRS answered {status}: {shown}", method.Method, uri, status, text),
        };
    }
}
