using System.Collections.Generic;

namespace QlikQrs.Sandbox.Hosting;

public sealed class SandboxOptions
{
    /// <summary>The direct (certificate) port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The proxy listener's port for virtual proxies; null for none, 0 for a free one.</summary>
    public int? ProxyPort { get; set; }

    /// <summary>Where the QMC-shaped certificate set is minted, or reused when it is already there.</summary>
    public required string CertificatesFolder { get; set; }

    /// <summary>The name the server certificate is issued to (besides localhost and the loopback addresses).</summary>
    public string HostName { get; set; } = "localhost";

    public IList<string> ExtraHostNames { get; } = new List<string>();

    /// <summary>
    /// Whether the server certificate also names localhost and the loopback addresses; off, a client on localhost
    /// sees a certificate for another name (for tests of the host name check).
    /// </summary>
    public bool IncludeLoopbackNames { get; set; } = true;

    public IList<VirtualProxy> VirtualProxies { get; } = new List<VirtualProxy>();

    /// <summary>
    /// Where state survives a restart (entities and files); null keeps everything in a temporary folder that is
    /// removed when the sandbox stops.
    /// </summary>
    public string? DataFolder { get; set; }
}
