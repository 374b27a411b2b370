using System;
using System.Globalization;
using System.Linq;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>Query values read strictly: a flag is true or false and a count a whole number, or the call is a 400 saying which value is wrong.</summary>
public static class QueryValues
{
    private static readonly char[] s_notInFileNames = { '<', '>', ':', '"', '|', '?', '*' };

    public static bool Flag(IQueryCollection query, string name, bool fallback = false)
    {
        string? text = query[name].FirstOrDefault();
        if (text is null)
        {
            return fallback;
        }

        return bool.TryParse(text, out bool flag) ? flag : throw QrsException.BadRequest($"The query value {name}='{text}' is not true or false.");
    }

    public static int Count(IQueryCollection query, string name, int fallback)
    {
        string? text = query[name].FirstOrDefault();
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            ? count
            : throw QrsException.BadRequest($"The query value {name}='{text}' is not a whole number of 0 or more.");
    }

    /// <summary>
    /// A file's place inside a content library: a relative path of named folders and a file name, the same on every
    /// system. Nothing that leaves the library (<c>..</c>, a root, a drive, a share) or that Windows cannot name.
    /// </summary>
    public static string[] RelativeFilePath(IQueryCollection query, string name)
    {
        string text = query[name].FirstOrDefault() ?? throw QrsException.BadRequest($"?{name}= is required.");
        string[] segments = text.Split('/', '\\');
        string? wrong =
            text.Length == 0 ? "it is empty"
            : text[0] is '/' or '\\' ? "it starts at a root"
            : text.Any(char.IsControl) ? "it holds control characters"
            : text.IndexOfAny(s_notInFileNames) >= 0 ? $"it holds one of {string.Join(' ', s_notInFileNames)}"
            : segments.Any(s => s is "." or "..") ? "it names . or .."
            : segments.Any(s => s.Trim().Length == 0) ? "it has an empty folder or file name"
            : null;
        return wrong is null
            ? segments
            : throw QrsException.BadRequest($"The query value {name}='{text}' is not a relative path inside the library: {wrong}.");
    }
}
