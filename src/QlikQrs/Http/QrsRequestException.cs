using System;
using System.Management.Automation;
using System.Net.Http;

namespace QlikQrs;

/// <summary>
/// A QRS call that did not succeed: a non-2xx answer (with its status code and QRS's text), a timeout, a connection
/// or trust failure. <see cref="ErrorId"/> names the case, for example <c>QrsConflict</c>; its category is always the
/// same (<see cref="QrsErrorIds"/>).
/// </summary>
public sealed class QrsRequestException : Exception
{
    // The message without the advice, which PowerShell 7 shows apart.
    private readonly string _text;

    internal QrsRequestException(string errorId, string message, string method, Uri? uri, int? statusCode = null, string? responseText = null, Exception? inner = null, string? advice = null)
        : base(advice is null ? message : message + " " + advice, inner)
    {
        _text = message;
        ErrorId = errorId;
        Category = QrsErrorIds.CategoryOf(errorId);
        Method = method;
        Uri = uri;
        StatusCode = statusCode;
        ResponseText = responseText;
        Advice = advice;
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

    /// <summary>What to do about it, when there is more to say than the message does.</summary>
    public string? Advice { get; }

    /// <summary>The entity (or identity) the call was about; the error record's target.</summary>
    public object? Target { get; private set; }

    internal QrsRequestException About(object? target)
    {
        Target ??= target;
        return this;
    }

    /// <summary>The call as it went: method, URL, status and QRS's text, for a log rather than for the message.</summary>
    public string Trace => $"{Method} {Uri}{(StatusCode is int status ? $" -> {status}" : string.Empty)}" +
        (string.IsNullOrEmpty(ResponseText) ? string.Empty : ": " + ResponseText);

    /// <summary>The error as PowerShell shows it; <paramref name="target"/> is the entity the call was about, if any.</summary>
    public ErrorRecord ToErrorRecord(object? target = null) => new(this, ErrorId, Category, target ?? Target ?? Uri?.ToString())
    {
        ErrorDetails = QrsErrorDetails.For(_text, Advice),
    };

    internal static QrsRequestException FromResponse(HttpMethod method, Uri uri, int status, string text, bool viaProxy)
    {
        string shown = string.IsNullOrWhiteSpace(text) ? "(no text)" : text.Trim();
        return status switch
        {
            400 => new("QrsBadRequest", $"QRS refused {method} {uri.AbsolutePath} as malformed: {shown}", method.Method, uri, status, text),
            401 => new("QrsUnauthorized", "QRS answered 401 Unauthorized: the credentials were not accepted.", method.Method, uri, status, text,
                advice: viaProxy ? "Check the virtual proxy's authentication method and the credentials given." : "Certificates go to the QRS port (4242); Windows, header and JWT authentication go to the proxy (443) with -VirtualProxy."),
            403 => text.IndexOf("XSRF", StringComparison.OrdinalIgnoreCase) >= 0
                ? new("QrsForbidden", "QRS's XSRF check failed: the xrfkey query parameter and the X-Qlik-Xrfkey header did not match.", method.Method, uri, status, text,
                    advice: "Something between this machine and QRS may change the URL or drop headers.")
                : new("QrsForbidden", $"QRS refused {method} {uri.AbsolutePath}: {shown}", method.Method, uri, status, text,
                    advice: "The user the connection acts as lacks the right; connect as an administrator or use -AsUser."),
            404 => new("QrsNotFound", $"QRS has nothing at {method} {uri.AbsolutePath}: {shown}", method.Method, uri, status, text),
            409 => new("QrsConflict", "The entity changed since it was read (409 Conflict).", method.Method, uri, status, text,
                advice: "Get it again and apply the change to the fresh copy."),
            429 => new("QrsTooManyRequests", $"QRS asked to slow down (429) and the retries ran out: {shown}", method.Method, uri, status, text,
                advice: "Lower -ThrottleLimit, or raise -MaxRetries on Connect-QrsServer."),
            >= 500 => new("QrsServerError", $"QRS failed with {status}: {shown}", method.Method, uri, status, text,
                advice: "The Repository Service's log on the node (C:\\ProgramData\\Qlik\\Sense\\Log\\Repository) says why."),
            _ => new("QrsRequestFailed", $"QRS answered {status}: {shown}", method.Method, uri, status, text),
        };
    }
}
