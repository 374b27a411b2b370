using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace QlikQrs;

/// <summary>
/// A name with * (any run of characters) and ? (one character), matched without regard to case as QRS compares
/// names. Only those two are wildcards: names such as 'Sales [EMEA]' are common in Qlik sites and mean themselves.
/// QRS cannot match such a pattern itself, so the pattern becomes the narrowest filter QRS can apply (starts with,
/// or contains, its longest literal part) and the rest is matched here.
/// </summary>
public sealed class QrsNamePattern
{
    private readonly Regex _regex;

    public QrsNamePattern(string pattern)
    {
        Pattern = pattern;
        var text = new StringBuilder("^");
        foreach (char c in pattern)
        {
            text.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        _regex = new Regex(text.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public static bool HasWildcards(string name) => name.IndexOfAny(new[] { '*', '?' }) >= 0;

    public bool IsMatch(string? name) => name is not null && _regex.IsMatch(name);

    /// <summary>
    /// The QRS filter on <paramref name="property"/> that lets through at least every match (null: no filter helps),
    /// and whether it lets through exactly the matches, so that nothing is left to match here.
    /// </summary>
    public (string? Filter, bool Exact) ServerFilter(string property = "name")
    {
        string[] parts = Pattern.Split('*');
        bool hasQuestionMark = Pattern.IndexOf('?') >= 0;
        if (!HasWildcards(Pattern))
        {
            return ($"{property} eq {QrsFilterBuilder.Literal(Pattern)}", true);
        }

        if (!hasQuestionMark && parts.Length == 2 && parts[1].Length == 0)
        {
            return ($"{property} sw {QrsFilterBuilder.Literal(parts[0])}", parts[0].Length > 0);
        }

        if (!hasQuestionMark && parts.Length == 2 && parts[0].Length == 0)
        {
            return ($"{property} ew {QrsFilterBuilder.Literal(parts[1])}", true);
        }

        if (!hasQuestionMark && parts.Length == 3 && parts[0].Length == 0 && parts[2].Length == 0 && parts[1].Length > 0)
        {
            return ($"{property} so {QrsFilterBuilder.Literal(parts[1])}", true);
        }

        string prefix = Pattern.Substring(0, Pattern.IndexOfAny(new[] { '*', '?' }));
        if (prefix.Length > 0)
        {
            return ($"{property} sw {QrsFilterBuilder.Literal(prefix)}", false);
        }

        string longest = Pattern.Split('*', '?').OrderByDescending(part => part.Length).First();
        return (longest.Length == 0 ? null : $"{property} so {QrsFilterBuilder.Literal(longest)}", false);
    }

    /// <summary>Several patterns as one QRS filter (any of them), and whether it is exact.</summary>
    public static (string? Filter, bool Exact) ServerFilter(System.Collections.Generic.IReadOnlyList<QrsNamePattern> patterns, string property = "name")
    {
        var filters = patterns.Select(p => p.ServerFilter(property)).ToList();
        if (filters.Any(f => f.Filter is null))
        {
            return (null, false);
        }

        string joined = filters.Count == 1 ? filters[0].Filter! : "(" + string.Join(" or ", filters.Select(f => f.Filter)) + ")";
        return (joined, filters.All(f => f.Exact));
    }
}
