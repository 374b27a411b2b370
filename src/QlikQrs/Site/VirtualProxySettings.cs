using System;
using System.Collections.Generic;
using System.Linq;
using QlikQrs.Model;

namespace QlikQrs.Site;

/// <summary>What New- and Set-QrsVirtualProxy were given: each value null when not given, applied to a virtual proxy as QRS stores it.</summary>
public sealed class VirtualProxySettings
{
    public string? Prefix { get; init; }

    public string? Description { get; init; }

    public string? SessionCookieHeaderName { get; init; }

    public VirtualProxyConfigAuthenticationMethod? AuthenticationMethod { get; init; }

    public string? HeaderName { get; init; }

    public string? HeaderUserDirectory { get; init; }

    public int? SessionInactivityTimeout { get; init; }

    public IReadOnlyList<ServerNodeConfigurationCondensed>? LoadBalancingNodes { get; init; }

    public IReadOnlyList<string>? WebsocketCrossOriginWhiteList { get; init; }

    /// <summary>Header authentication needs a header; one given without a method means static header authentication, as in the QMC.</summary>
    public VirtualProxyConfigAuthenticationMethod? EffectiveMethod =>
        AuthenticationMethod ?? (HeaderName is null ? null : VirtualProxyConfigAuthenticationMethod.HeaderStaticUserDirectory);

    /// <summary>Each change given, for the confirmation message; null for what was not given.</summary>
    public IEnumerable<string?> Changes() => new[]
    {
        Prefix is null ? null : $"prefix to '{Prefix}'",
        Description is null ? null : $"description to '{Description}'",
        SessionCookieHeaderName is null ? null : $"session cookie header to '{SessionCookieHeaderName}'",
        EffectiveMethod is null ? null : $"authentication to {EffectiveMethod}",
        HeaderName is null ? null : $"header to '{HeaderName}'",
        HeaderUserDirectory is null ? null : $"user directory to '{HeaderUserDirectory}'",
        SessionInactivityTimeout is null ? null : $"session inactivity timeout to {SessionInactivityTimeout} minutes",
        LoadBalancingNodes is null ? null : $"load balancing to {string.Join(", ", LoadBalancingNodes.Select(n => $"'{n.Name}'"))}",
        WebsocketCrossOriginWhiteList is null ? null : $"websocket origin allow list to {string.Join(", ", WebsocketCrossOriginWhiteList)}",
    };

    public void ApplyTo(VirtualProxyConfig proxy)
    {
        proxy.Prefix = Prefix ?? proxy.Prefix;
        proxy.Description = Description ?? proxy.Description;
        proxy.SessionCookieHeaderName = SessionCookieHeaderName ?? proxy.SessionCookieHeaderName;
        proxy.AuthenticationMethod = EffectiveMethod ?? proxy.AuthenticationMethod;
        proxy.HeaderAuthenticationHeaderName = HeaderName ?? proxy.HeaderAuthenticationHeaderName;
        proxy.HeaderAuthenticationStaticUserDirectory = HeaderUserDirectory ?? proxy.HeaderAuthenticationStaticUserDirectory;
        proxy.SessionInactivityTimeout = SessionInactivityTimeout ?? proxy.SessionInactivityTimeout;
        proxy.LoadBalancingServerNodes = LoadBalancingNodes?.ToList() ?? proxy.LoadBalancingServerNodes;
        proxy.WebsocketCrossOriginWhiteList = WebsocketCrossOriginWhiteList?.ToList() ?? proxy.WebsocketCrossOriginWhiteList;
    }

    /// <summary>A new virtual proxy: the given values over the QMC's defaults (the prefix's own session cookie, 30 minutes, ticket authentication).</summary>
    public VirtualProxyConfig NewProxy()
    {
        string prefix = Prefix ?? throw new InvalidOperationException("A new virtual proxy needs a prefix.");
        var proxy = new VirtualProxyConfig
        {
            Prefix = prefix,
            SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
            SessionInactivityTimeout = 30,
            AuthenticationMethod = VirtualProxyConfigAuthenticationMethod.Ticket,
            DefaultVirtualProxy = false,
        };
        ApplyTo(proxy);
        return proxy;
    }
}

/// <summary>The virtual proxies a proxy service answers for: its settings' list, changed by a read-change-save.</summary>
public static class QrsProxyLinks
{
    /// <summary>Adds (or removes) <paramref name="virtualProxies"/> in the proxy service's list; null when the list already was so.</summary>
    public static ProxyService? Change(ProxyService proxy, IReadOnlyCollection<Guid> virtualProxies, bool link)
    {
        ProxyServiceSettings settings = proxy.Settings ??= new ProxyServiceSettings();
        List<VirtualProxyConfigCondensed> linked = settings.VirtualProxies ??= new List<VirtualProxyConfigCondensed>();
        int before = linked.Count;
        if (link)
        {
            linked.AddRange(virtualProxies.Where(id => !linked.Any(v => v.Id == id)).Select(id => new VirtualProxyConfigCondensed { Id = id }));
        }
        else
        {
            linked.RemoveAll(v => v.Id is Guid id && virtualProxies.Contains(id));
        }

        return linked.Count == before ? null : proxy;
    }
}
