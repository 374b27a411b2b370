using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>A node: its id, its name (wildcards allowed), a ServerNodeConfiguration, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class NodeIdentity : QrsIdentity<ServerNodeConfiguration, ServerNodeConfigurationCondensed>
{
    public NodeIdentity(object value)
        : base(value)
    {
    }

    internal override string Noun => "Node";
}

/// <summary>
/// A virtual proxy: its id, its prefix (wildcards allowed), a VirtualProxyConfig, or an object with an Id. The
/// default virtual proxy has the empty prefix, so it is named by its id or its object.
/// </summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class VirtualProxyIdentity : QrsIdentity<VirtualProxyConfig, VirtualProxyConfigCondensed>
{
    public VirtualProxyIdentity(object value)
        : base(value)
    {
    }

    internal override string Noun => "VirtualProxy";

    internal override string NameProperty => "prefix";

    internal override string? NameOf(IQrsEntity entity) => entity switch
    {
        VirtualProxyConfigCondensed condensed => condensed.Prefix,
        VirtualProxyConfig full => full.Prefix,
        _ => null,
    };
}

/// <summary>
/// A proxy service: its id, the name of its node (wildcards allowed), a ProxyService, or an object with an Id. A
/// proxy service has no name of its own; a node runs at most one.
/// </summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class ProxyServiceIdentity : QrsIdentity<ProxyService, ProxyServiceCondensed>
{
    public ProxyServiceIdentity(object value)
        : base(value)
    {
    }

    internal override string NameProperty => "serverNodeConfiguration.name";

    internal override string? NameOf(IQrsEntity entity) => (entity as ProxyService)?.ServerNodeConfiguration?.Name;

    internal override string ListCommand => "Get-QrsEntity -Type ProxyService -Full";

    // The condensed proxy service carries no node, so names are looked up among the full ones.
    internal override async IAsyncEnumerable<IQrsEntity> CandidatesAsync(QrsClient client, string? filter, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (ProxyService proxy in client.ListAsync<ProxyService>(new QrsQuery(filter), cancellation).ConfigureAwait(false))
        {
            yield return proxy;
        }
    }
}
