using System;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>The checks QRS makes of every call before it looks at what is asked: xrfkey and the calling user.</summary>
public static class QrsRequestChecks
{
    public const string XsrfFailure = "XSRF prevention check failed. Possible XSRF discovered.";
    public const string UnknownUser = "Unknown users not allowed for repository calls, missing or malformed http header: X-Qlik-User";

    private static readonly Regex s_xrfkey = new("^[0-9a-zA-Z]{16}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_user = new(@"^\s*UserDirectory\s*=\s*([^;]*?)\s*;\s*UserId\s*=\s*([^;]*?)\s*;?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Query <c>xrfkey</c> and header <c>X-Qlik-Xrfkey</c>: both there, equal, 16 of [0-9a-zA-Z].</summary>
    public static void CheckXrfkey(HttpRequest request)
    {
        string? query = request.Query.FirstOrDefault(q => q.Key.Equals("xrfkey", StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault();
        string? header = request.Headers["X-Qlik-Xrfkey"].FirstOrDefault();
        if (query is null || header is null || !string.Equals(query, header, StringComparison.Ordinal) || !s_xrfkey.IsMatch(query))
        {
            throw new QrsException(403, XsrfFailure);
        }
    }

    /// <summary><c>X-Qlik-User: UserDirectory=&lt;dir&gt;; UserId=&lt;id&gt;</c>, both values URL-encoded UTF-8.</summary>
    public static QrsUser ReadUser(HttpRequest request)
    {
        string? header = request.Headers["X-Qlik-User"].FirstOrDefault();
        Match match = header is null ? Match.Empty : s_user.Match(header);
        if (!match.Success || match.Groups[1].Value.Length == 0 || match.Groups[2].Value.Length == 0)
        {
            throw new QrsException(403, UnknownUser);
        }

        return new QrsUser(WebUtility.UrlDecode(match.Groups[1].Value), WebUtility.UrlDecode(match.Groups[2].Value));
    }
}
