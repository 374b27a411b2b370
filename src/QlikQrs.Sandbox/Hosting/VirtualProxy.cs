using System;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>How a virtual proxy on the proxy listener authenticates its users.</summary>
public enum ProxyAuthentication
{
    /// <summary>The user id arrives in a header (<see cref="VirtualProxy.HeaderName"/>) from a trusted front end.</summary>
    Header,

    /// <summary>A bearer JWT signed with <see cref="VirtualProxy.JwtSigningKey"/> (HS256) names the user.</summary>
    Jwt,
}

/// <summary>A virtual proxy: a path prefix on the proxy listener in front of the same QRS.</summary>
public sealed class VirtualProxy
{
    public required string Prefix { get; init; }

    public ProxyAuthentication Authentication { get; init; } = ProxyAuthentication.Header;

    /// <summary>Header authentication: the header that carries the user id.</summary>
    public string HeaderName { get; init; } = "X-Qlik-HeaderAuth";

    /// <summary>Header authentication: the user directory the users belong to.</summary>
    public string UserDirectory { get; init; } = "HEADER";

    /// <summary>JWT: the HMAC-SHA256 key tokens are signed with (at least 32 bytes).</summary>
    public byte[] JwtSigningKey { get; init; } = Array.Empty<byte>();

    /// <summary>JWT: the claim holding the user id.</summary>
    public string JwtUserIdClaim { get; init; } = "userId";

    /// <summary>JWT: the claim holding the user directory.</summary>
    public string JwtUserDirectoryClaim { get; init; } = "userDirectory";
}
