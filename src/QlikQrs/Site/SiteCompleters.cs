using System.Collections;
using QlikQrs.Commands;
using QlikQrs.Model;

namespace QlikQrs.Site;

/// <summary>Completes a virtual proxy identity with the prefixes of the site's virtual proxies.</summary>
public sealed class QrsVirtualProxyCompleter : QrsNameCompleterBase
{
    protected override string NameProperty => "prefix";

    protected override string? NameOf(QrsEntity entity) => (entity as VirtualProxyConfigCondensed)?.Prefix;

    protected override QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters) => QrsEntityFamilies.OfType(typeof(VirtualProxyConfig));
}

/// <summary>Completes a proxy service identity with the names of the nodes that run one.</summary>
public sealed class QrsProxyServiceCompleter : QrsNameCompleterBase
{
    protected override string NameProperty => "serverNodeConfiguration.name";

    protected override bool Full => true;

    protected override string? NameOf(QrsEntity entity) => (entity as ProxyService)?.ServerNodeConfiguration?.Name;

    protected override QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters) => QrsEntityFamilies.OfType(typeof(ProxyService));
}
