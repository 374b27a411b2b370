using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>Builds QRS filters from values, quoted and escaped as QRS reads them, so nobody concatenates strings.</summary>
public static class QrsFilterBuilder
{
    /// <summary><c>key eq value</c> for each entry, joined with <c>and</c>; an array of values becomes an <c>or</c> group.</summary>
    public static string FromConditions(IDictionary conditions)
    {
        var parts = new List<string>();
        foreach (DictionaryEntry entry in conditions)
        {
            string property = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? throw new ArgumentException("A filter property needs a name.");
            if (property.Any(c => char.IsWhiteSpace(c) || c is '\'' or '(' or ')'))
            {
                throw new ArgumentException($"'{property}' is not a property path (letters, digits and dots).");
            }

            object? value = Unwrap(entry.Value);
            if (value is IEnumerable values and not string)
            {
                string[] alternatives = values.Cast<object?>().Select(v => $"{property} eq {Literal(v)}").ToArray();
                parts.Add(alternatives.Length == 1 ? alternatives[0] : "(" + string.Join(" or ", alternatives) + ")");
            }
            else
            {
                parts.Add($"{property} eq {Literal(value)}");
            }
        }

        return string.Join(" and ", parts);
    }

    public static string NameIn(IEnumerable<string> names)
    {
        string[] alternatives = names.Select(n => "name eq " + Literal(n)).ToArray();
        return alternatives.Length == 1 ? alternatives[0] : "(" + string.Join(" or ", alternatives) + ")";
    }

    /// <summary>Both filters must hold; either may be empty.</summary>
    public static string? And(params string?[] filters)
    {
        string[] present = filters.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!).ToArray();
        return present.Length switch
        {
            0 => null,
            1 => present[0],
            _ => string.Join(" and ", present.Select(f => "(" + f + ")")),
        };
    }

    /// <summary>Either filter may hold; either may be empty.</summary>
    public static string? Or(params string?[] filters)
    {
        string[] present = filters.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!).ToArray();
        return present.Length switch
        {
            0 => null,
            1 => present[0],
            _ => "(" + string.Join(" or ", present.Select(f => "(" + f + ")")) + ")",
        };
    }

    /// <summary>A value as QRS's filter language writes it: strings quoted with \' and \\, GUIDs and enums bare, dates quoted.</summary>
    public static string Literal(object? value) => Unwrap(value) switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        Guid guid => guid.ToString(),
        Enum enumeration => enumeration.ToString(),
        DateTime date => "'" + new QrsDateTime(date).Text + "'",
        DateTimeOffset offset => "'" + new QrsDateTime(offset.UtcDateTime).Text + "'",
        QrsDateTime qrsDate => "'" + qrsDate.Text + "'",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        object other => "'" + (other.ToString() ?? string.Empty).Replace("\\", "\\\\").Replace("'", "\\'") + "'",
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
