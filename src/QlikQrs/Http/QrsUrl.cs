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

    /// <summary>
    /// Invoke-QrsRequest's -Query: one value per name (text, a number, $true/$false, an id, a date; $null leaves the
    /// name out). QRS reads one value per name, so a list is refused rather than sent as repeated names or as text.
    /// </summary>
    public static string UserQuery(IDictionary query, bool continues)
    {
        var pairs = new List<KeyValuePair<string, object?>>();
        foreach (DictionaryEntry entry in query)
        {
            string name = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
            object? value = Unwrap(entry.Value);
            string? wrong = name.Trim().Length == 0 ? "-Query has an empty name."
                : value is IEnumerable and not string ? $"-Query: '{name}' has a list of values; QRS reads one value per name. Join conditions into one filter (\"a and b\") or make one call per value."
                : value is null or string or bool or Guid or Enum or DateTime or Model.QrsDateTime or IConvertible ? null
                : $"-Query: '{name}' has {(value is PSObject ? "an object" : value is ScriptBlock ? "a script block" : "a " + value.GetType().Name)} as its value; give text, a number, $true or $false, an id or a date.";
            if (wrong is not null)
            {
                throw new QrsCommandException("QrsInvalidQuery", System.Management.Automation.ErrorCategory.InvalidArgument, wrong, query);
            }

            pairs.Add(new KeyValuePair<string, object?>(name, value));
        }

        return Query(pairs, continues);
    }

    /// <summary>
    /// What a request is sent to: a path relative to the connection's base (with its virtual proxy prefix), or an
    /// absolute URL of the connection's own scheme, host and port. Anything else is refused.
    /// </summary>
    public static Uri Resolve(QrsConnection connection, System.Net.Http.HttpMethod method, string pathOrUrl)
    {
        // On Unix '/qrs/app' is also an absolute file: URL; a leading slash always means a path on the site.
        if (!pathOrUrl.StartsWith("/", StringComparison.Ordinal) && Uri.TryCreate(pathOrUrl, UriKind.Absolute, out Uri? absolute))
        {
            Uri site = connection.BaseUri;
            if (!string.Equals(absolute.Scheme, site.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(absolute.IdnHost, site.IdnHost, StringComparison.OrdinalIgnoreCase)
                || absolute.Port != site.Port)
            {
                throw new QrsRequestException("QrsForeignUrl",
                    $"'{Shown(absolute.GetLeftPart(UriPartial.Path))}' is not on the connection's site ({site.GetLeftPart(UriPartial.Authority)}); its certificate, user and xrfkey are sent only there.",
                    method.Method, absolute, advice: "Give a path such as /qrs/app, or connect to that site with Connect-QrsServer and pass -Connection.");
            }

            return absolute;
        }

        string path = pathOrUrl.TrimStart('/');
        string? wrong = path.Split('?')[0].Split('/', '\\').Any(segment => segment is "." or "..") ? "it climbs with '..' or '.'"
            : path.Any(char.IsControl) ? "it has a control character"
            : path.Trim().Length == 0 ? "it is empty"
            : null;

        // Leading slashes would make '//other-host/x' a URL of another host; paths are always under the base.
        if (wrong is not null || !Uri.TryCreate(path, UriKind.Relative, out Uri? relative))
        {
            throw new QrsRequestException("QrsInvalidPath", $"'{Shown(pathOrUrl)}' is not a path on the site{(wrong is null ? string.Empty : ": " + wrong)}.",
                method.Method, null, advice: "Give the path as QRS names it, such as /qrs/app/full or /qrs/about.");
        }

        return relative;
    }

    /// <summary>A value as a message may show it: control characters as '?', at most 100 characters.</summary>
    public static string Shown(string text)
    {
        string visible = new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return visible.Length > 100 ? visible.Substring(0, 100) + "..." : visible;
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

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
}
