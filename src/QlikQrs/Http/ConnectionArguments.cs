using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace QlikQrs.Http;

/// <summary>
/// What a connection is made from, checked before anything is built or sent: each value that cannot make a URL or
/// an HTTP header is refused with the parameter named, rather than failing later inside .NET. Secrets (the JWT, a
/// header value) are described, never quoted.
/// </summary>
internal static class ConnectionArguments
{
    // RFC 9110 token characters: what a header name may hold.
    private static readonly Regex s_token = new(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", RegexOptions.CultureInvariant);

    private static readonly Regex s_jwt = new(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    // A virtual proxy prefix is one path segment, as the QMC takes it: letters, digits, '-', '_', '.', '~'.
    private static readonly Regex s_prefix = new(@"^[A-Za-z0-9._~-]+$", RegexOptions.CultureInvariant);

    /// <summary>The host as a URL holds it (an IPv6 address in brackets); a name with a space, a port or a scheme is refused.</summary>
    public static string ComputerName(string name)
    {
        if (IPAddress.TryParse(name.Trim('[', ']'), out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return "[" + address + "]";
        }

        int colon = name.LastIndexOf(':');
        if (colon > 0 && name.IndexOf(':') == colon && int.TryParse(name.Substring(colon + 1), out int port))
        {
            throw Refused("ComputerName", $"-ComputerName '{name}' holds a port.", name,
                $"Give the host alone and the port apart: -ComputerName {name.Substring(0, colon)} -Port {port}.");
        }

        if (name.IndexOf("://", StringComparison.Ordinal) >= 0)
        {
            throw Refused("ComputerName", $"-ComputerName '{QrsUrl.Shown(name)}' is a URL, not a host name.", name,
                "Give the host alone (qlikserver1.example.com); -Port and -VirtualProxy give the rest.");
        }

        if (Uri.CheckHostName(name) == UriHostNameType.Unknown || !Uri.TryCreate($"https://{name}/", UriKind.Absolute, out _))
        {
            throw Refused("ComputerName", $"-ComputerName '{QrsUrl.Shown(name)}' is not a host name or IP address{Why(name)}.", name,
                "Give the node's DNS name (qlikserver1.example.com), its IPv4 address or its IPv6 address.");
        }

        return name;
    }

    /// <summary>The prefix without its slashes; anything that would leave it out of the URL, or change the URL's meaning, is refused.</summary>
    public static string? VirtualProxy(string? prefix)
    {
        if (prefix is null)
        {
            return null;
        }

        string trimmed = prefix.Trim('/');
        if (trimmed.Length == 0 || trimmed is "." or ".." || !s_prefix.IsMatch(trimmed))
        {
            throw Refused("VirtualProxy", $"-VirtualProxy '{QrsUrl.Shown(prefix)}' is not a virtual proxy prefix{Why(trimmed)}.", prefix,
                "Give the prefix as the QMC shows it under Virtual proxies (letters, digits, '-', '_' and '.'), or leave -VirtualProxy out for the proxy's default.");
        }

        return trimmed;
    }

    public static string? HeaderName(string? name)
    {
        if (name is not null && !s_token.IsMatch(name))
        {
            throw Refused("HeaderName", $"-HeaderName '{QrsUrl.Shown(name)}' is not an HTTP header name{Why(name)}.", name,
                "Give the header the virtual proxy reads the user from, as its QMC page shows it (X-Qlik-HeaderAuth).");
        }

        return name;
    }

    public static string? HeaderValue(string? value)
    {
        if (value is not null && value.Any(c => c < ' ' && c != '\t' || c >= '\u007f'))
        {
            throw Refused("HeaderValue", "-HeaderValue has a character an HTTP header cannot carry: only printable ASCII can be sent.", null,
                "Give the user id as the virtual proxy expects it, without line breaks, control characters or characters beyond ASCII.");
        }

        return value;
    }

    public static string? Jwt(string? token)
    {
        if (token is not null && !s_jwt.IsMatch(token))
        {
            string what = token.Any(c => c is '\r' or '\n') ? "it has a line break"
                : token.Any(char.IsWhiteSpace) ? "it has white space"
                : token.Count(c => c == '.') != 2 ? "it does not have three parts separated by dots"
                : "it has characters that base64url does not use";
            throw Refused("Jwt", $"-Jwt is not a JSON Web Token: {what}.", null,
                "Give the token alone (header.payload.signature, base64url), without 'Bearer ' or quotes; a token read from a file may need .Trim().");
        }

        return token;
    }

    private static QrsCommandException Refused(string parameter, string message, object? target, string advice) =>
        new($"QrsInvalid{parameter}", ErrorCategory.InvalidArgument, message, target, advice);

    /// <summary>What is wrong with a name, for the message: the first character that does not belong.</summary>
    private static string Why(string text)
    {
        char? odd = text.Select(c => (char?)c).FirstOrDefault(c => char.IsWhiteSpace(c!.Value) || char.IsControl(c.Value) || c is '/' or '?' or '#' or '\\' or '@' or '%' or ':');
        return odd switch
        {
            null => string.Empty,
            char c when char.IsWhiteSpace(c) => ": it has white space",
            char c when char.IsControl(c) => $": it has the control character U+{(int)c:X4}",
            char c => $": it has '{c}'",
        };
    }
}
