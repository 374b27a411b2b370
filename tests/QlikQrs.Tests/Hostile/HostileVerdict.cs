using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace QlikQrs.Tests.Hostile;

public enum HostileOutcome
{
    /// <summary>The value made sense and the call went through, or failed as the same call without it does.</summary>
    Accepted,

    /// <summary>A parameter-binding error, or a Qrs error that names the parameter or the value.</summary>
    Refused,

    /// <summary>Anything else: another error id, a .NET type or stack in the message, a Qrs error that names neither, a hang.</summary>
    Failed,
}

/// <summary>How one hostile call ended, judged by what the user saw.</summary>
public sealed record HostileVerdict(HostileOutcome Outcome, string Detail)
{
    // A .NET type name (System.Object[], NullReferenceException) or a stack frame is not for a user's eyes.
    private static readonly Regex s_dotNet = new(@"\b(System|Microsoft)\.[A-Z]\w*(\.\w+)*|\b\w+Exception\b|^\s*at \w+(\.\w+)+\(", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>
    /// Judges the errors of a call in which <paramref name="parameter"/> was given <paramref name="value"/>;
    /// <paramref name="baselineErrorId"/> is the error the same call without the value ends in, if any.
    /// </summary>
    public static HostileVerdict Judge(string parameter, object? value, ErrorRecord[] errors, string? baselineErrorId)
    {
        if (errors.Length == 0)
        {
            return new(HostileOutcome.Accepted, "no error");
        }

        foreach (ErrorRecord error in errors)
        {
            string id = error.FullyQualifiedErrorId.Split(',')[0];
            string message = error.ErrorDetails?.Message ?? error.Exception.Message;
            if (error.Exception is ParameterBindingException)
            {
                continue;
            }

            if (!id.StartsWith("Qrs", StringComparison.Ordinal))
            {
                return new(HostileOutcome.Failed, $"{error.FullyQualifiedErrorId}: {Shorten(error.Exception.Message)}");
            }

            if (s_dotNet.Match(message) is { Success: true } leak)
            {
                return new(HostileOutcome.Failed, $"{id} shows '{leak.Value}': {Shorten(message)}");
            }

            if (id != baselineErrorId && !Names(message, error.TargetObject, parameter, value))
            {
                return new(HostileOutcome.Failed, $"{id} names neither -{parameter} nor the value: {Shorten(message)}");
            }
        }

        return errors.Any(e => e.FullyQualifiedErrorId.Split(',')[0] != baselineErrorId)
            ? new(HostileOutcome.Refused, errors[0].FullyQualifiedErrorId.Split(',')[0])
            : new(HostileOutcome.Accepted, "fails as without it");
    }

    public static string Shorten(string text)
    {
        string oneLine = Regex.Replace(text, @"\s+", " ");
        return oneLine.Length <= 300 ? oneLine : oneLine.Substring(0, 300) + "...";
    }

    private static bool Names(string message, object? target, string parameter, object? value)
    {
        if (message.Contains(parameter, StringComparison.OrdinalIgnoreCase) || message.Contains(Words(parameter), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value is IDictionary dictionary)
        {
            return dictionary.Cast<DictionaryEntry>().Any(e => Names(message, target, parameter, e.Key) || e.Value is string && Names(message, target, parameter, e.Value));
        }

        if (value is PSObject { BaseObject: PSCustomObject } custom)
        {
            return new[] { "Name", "Id" }.Any(p => custom.Properties[p]?.Value is object part && Names(message, target, parameter, part.ToString()));
        }

        // An entity read through a connection since closed is refused for its connection, which the message names.
        if (value is not null and not string && PSObject.AsPSObject(value).Properties["Connection"]?.Value is { } connection
            && PSObject.AsPSObject(connection).Properties["Name"]?.Value is string connectionName && message.Contains($"'{connectionName}'", StringComparison.Ordinal))
        {
            return true;
        }

        object? given = value is PSObject wrapped ? wrapped.BaseObject : value;
        object? aimed = target is PSObject targetWrapped ? targetWrapped.BaseObject : target;
        if (given is not null && (ReferenceEquals(given, aimed) || Equals(given, aimed) || Equals(given?.ToString(), aimed?.ToString()) && aimed is string))
        {
            return true;
        }

        string? text = given as string ?? (given is Guid guid ? guid.ToString() : null);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // White space shows at the end of the quoted path it made; a relative path by one of its names once resolved.
        if (string.IsNullOrWhiteSpace(text))
        {
            return message.Contains(text + "'", StringComparison.Ordinal);
        }

        string shown = (text.Length > 20 ? text.Substring(0, 20) : text).Trim('{', '}');
        string path = text.Split('?')[0];
        // A URL in a message is escaped: 'x%20or' for 'x or'.
        string unescaped = Uri.UnescapeDataString(message);
        return unescaped.Contains(shown, StringComparison.OrdinalIgnoreCase)
            || path.Length > 0 && unescaped.Contains("/" + path, StringComparison.OrdinalIgnoreCase)
            || text.Split('/', '\\').Any(part => part.Trim('.').Length > 1 && message.Contains(part, StringComparison.OrdinalIgnoreCase));
    }

    // VirtualProxy -> "virtual proxy", as messages say it.
    private static string Words(string parameter) => Regex.Replace(parameter, "(?<=[a-z])(?=[A-Z])", " ");
}
