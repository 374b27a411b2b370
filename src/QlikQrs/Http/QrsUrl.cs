using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace QlikQrs.Http;

/// <summary>
/// Every URL a connection calls is made here: paths under /qrs with escaped segments and query values, and the
/// host-relative paths QRS hands out (downloadPath), which go through the virtual proxy prefix when there is one.
/// Only the connection's own site is called: its identity (certificate, X-Qlik-User, header, JWT) goes nowhere else.
/// </summary>
internal static class QrsUrl
{
    /// <summary><c>qrs/app/{id}/copy?name=...</c>: segments escaped, null query values left out.</summary>
    public static string Qrs(string path, params (string Name, object? Value)[] query) =>
        "qrs/" + path.TrimStart('/') + Query(query.Select(q => new KeyValuePair<string, object?>(q.Name, q.Value)), path.IndexOf('?') >= 0);

    public static string Segment(object value) => Uri.EscapeDataString(Format(value));

    /// <summary>A query string from name/value pairs (a hashtable from the user, or the cmdlets' own).</summary>
    public static string Query(IEnumerable<KeyValuePair<string, object?>> pairs, bool continues = false)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            object? value = Unwrap(pair.Value);
            if (value is null)
            {
                continue;
            }

            if (value is IEnumerable values and not string)
            {
                throw new ArgumentException($"The query parameter '{pair.Key}' has several values; give one text.");
            }

            text.Append(text.Length == 0 && !continues ? '?' : '&')
                .Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(Format(value)));
        }

        return text.ToString();
    }

    public static IEnumerable<KeyValuePair<string, object?>> Pairs(IDictionary dictionary) =>
        dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, e.Value));

    /// <summary>
    /// What a request is sent to: a path relative to the connection's base (with its virtual proxy prefix), or an
    /// absolute URL of the connection's own scheme, host and port. Anything else is refused.
    /// </summary>
    public static Uri Resolve(QrsConnection connection, System.Net.Http.HttpMethod method, string pathOrUrl)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out Uri? absolute) && absolute.Scheme != Uri.UriSchemeFile && !pathOrUrl.StartsWith("/", StringComparison.Ordinal))
        {
            Uri site = connection.BaseUri;
            if (!string.Equals(absolute.Scheme, site.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(absolute.IdnHost, site.IdnHost, StringComparison.OrdinalIgnoreCase)
                || absolute.Port != site.Port)
            {
                throw new QrsRequestException("QrsForeignUrl",
                    $"'{absolute.GetLeftPart(UriPartial.Path)}' is not on the connection's site ({site.GetLeftPart(UriPartial.Authority)}); its certificate, user and xrfkey are sent only there.",
                    method.Method, absolute, advice: "Give a path such as /qrs/app, or connect to that site with Connect-QrsServer and pass -Connection.");
            }

            return absolute;
        }

        // Leading slashes would make '//other-host/x' a URL of another host; paths are always under the base.
        return new Uri(pathOrUrl.TrimStart('/'), UriKind.Relative);
    }

    private static string Format(object value) => Unwrap(value) switch
    {
        bool flag => flag ? "true" : "false",
        Guid guid => guid.ToString(),
        Model.QrsDateTime date => date.Text,
        DateTime date => new Model.QrsDateTime(date).Text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        object other => other.ToString() ?? string.Empty,
        null => string.Empty,
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
