using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>Builds QRS filters from values, quoted and escaped as QRS reads them, so nobody concatenates strings.</summary>
public static class QrsFilterBuilder
{
    /// <summary>
    /// <c>key eq value</c> for each entry, joined with <c>and</c>; an array of values becomes an <c>or</c> group. Keys
    /// are property paths (<c>stream.name</c>); values are text, numbers, $true/$false, ids, enums, dates or $null.
    /// Anything else (a hashtable, an object, a script block, a nested or empty array) has no meaning in a filter and
    /// is refused, rather than compared as the text .NET makes of it.
    /// </summary>
    public static string FromConditions(IDictionary conditions)
    {
        var parts = new List<string>();
        foreach (DictionaryEntry entry in conditions)
        {
            string property = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
            if (!s_propertyPath.IsMatch(property))
            {
                throw new ArgumentException(property.Trim().Length == 0
                    ? "-Where has an empty property name."
                    : $"-Where: '{Printable(property)}' is not a property path (names of letters, digits and '_', joined by dots: stream.name).");
            }

            object? value = Unwrap(entry.Value);
            if (value is IEnumerable values and not string and not IDictionary)
            {
                object?[] items = values.Cast<object?>().Select(Unwrap).ToArray();
                if (items.Length == 0)
                {
                    throw new ArgumentException($"-Where: '{property}' has an empty list of values, which nothing can equal.");
                }

                string[] alternatives = items.Select(v => $"{property} eq {Value(property, v, inList: true)}").ToArray();
                parts.Add(alternatives.Length == 1 ? alternatives[0] : "(" + string.Join(" or ", alternatives) + ")");
            }
            else
            {
                parts.Add($"{property} eq {Value(property, value, inList: false)}");
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

    private static readonly Regex s_propertyPath = new(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant);

    /// <summary>A -Where value as a literal, when it is one that a filter can compare with.</summary>
    private static string Value(string property, object? value, bool inList) => value switch
    {
        null or string or bool or Guid or Enum or DateTime or DateTimeOffset or QrsDateTime or char => Literal(value),
        IFormattable and (sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal) => Literal(value),
        _ => throw new ArgumentException($"-Where: '{property}' has {Kind(value)} {(inList ? "in its list of values" : "as its value")}; a filter compares with text, numbers, $true or $false, ids, dates or $null."),
    };

    private static string Kind(object value) => value switch
    {
        IDictionary => "a hashtable",
        PSObject or PSCustomObject => "an object",
        ScriptBlock => "a script block",
        IEnumerable => "a nested list",
        _ => "a " + value.GetType().Name,
    };

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    // A PSCustomObject stays wrapped: unwrapped it has no properties left to tell it by.
    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
}
