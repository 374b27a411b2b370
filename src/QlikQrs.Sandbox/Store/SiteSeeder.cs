using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// The site's machinery as a two-node installation has it: a service cluster, the central node and a rim node, each
/// with its repository, engine, proxy, scheduler and printing services, their status (the rim's printing service does
/// not answer), the nodes' heartbeats, and the default virtual proxy (with a SAML one beside it) linked to both proxies.
/// </summary>
public static class SiteSeeder
{
    public const string CentralName = "Central";
    public const string RimName = "Rim 1";
    public const string RimHostName = "qlik-rim1";
    public const string SamlPrefix = "saml";

    /// <summary>The services a node runs, in the order of the ServiceStatus's serviceType enum, without AppMigration.</summary>
    public static readonly (string Family, long ServiceType)[] Services =
    {
        ("repositoryservice", 0), ("proxyservice", 1), ("schedulerservice", 2), ("engineservice", 3), ("printingservice", 5),
    };

    public const long Running = 2;
    public const long NoCommunication = 3;
    public const long CertificatesNotInstalled = 1;

    public static void Seed(EntityStore store, string hostName, DateTime installed)
    {
        EntityFamily Family(string name) => store.Schema.Family(name)!;
        var random = new Random(4242 + 14);
        Guid NextId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        Guid cluster = NextId();
        store.Seed(Family("servicecluster"), cluster, new JsonObject
        {
            ["name"] = "ServiceCluster",
            ["settings"] = new JsonObject
            {
                ["id"] = NextId().ToString(),
                ["persistenceMode"] = 2,
                ["sharedPersistenceProperties"] = new JsonObject
                {
                    ["id"] = NextId().ToString(),
                    ["rootFolder"] = @"\\" + hostName + @"\QlikShare",
                    ["appFolder"] = @"\\" + hostName + @"\QlikShare\Apps",
                    ["staticContentRootFolder"] = @"\\" + hostName + @"\QlikShare\StaticContent",
                    ["archivedLogsRootFolder"] = @"\\" + hostName + @"\QlikShare\ArchivedLogs",
                },
            },
        }, installed);

        DateTime now = DateTime.UtcNow;
        Guid defaultProxy = NextId();
        Guid samlProxy = NextId();
        var proxies = new List<Guid>();
        foreach (var (name, host, central) in new[] { (CentralName, hostName, true), (RimName, RimHostName, false) })
        {
            Guid node = NextId();
            store.Seed(Family("servernodeconfiguration"), node, Node(name, host, central, cluster), installed.AddMinutes(central ? 0 : 30));
            Guid proxy = SeedServices(store, node, central, installed, NextId);
            proxies.Add(proxy);
            store.Seed(Family("servernodeheartbeat"), NextId(), new JsonObject { ["serverNodeConfiguration"] = Ref(node), ["timestamp"] = QrsDate.Format(now.AddSeconds(-20)) }, installed);
            foreach (var (_, serviceType) in Services)
            {
                bool down = !central && serviceType == 5;
                store.Seed(Family("servicestatus"), NextId(), new JsonObject
                {
                    ["serverNodeConfiguration"] = Ref(node),
                    ["serviceType"] = serviceType,
                    ["serviceState"] = down ? NoCommunication : Running,
                    ["timestamp"] = QrsDate.Format(down ? now.AddHours(-3) : now.AddSeconds(-20)),
                }, installed);
            }
        }

        store.Seed(Family("virtualproxyconfig"), defaultProxy, VirtualProxy(string.Empty, "Central Proxy (Default)", "X-Qlik-Session", defaultVirtualProxy: true, authenticationMethod: 0), installed);
        JsonObject saml = VirtualProxy(SamlPrefix, "SAML for the partner portal", "X-Qlik-Session-saml", defaultVirtualProxy: false, authenticationMethod: 3);
        saml["samlHostUri"] = $"https://{hostName}";
        saml["samlEntityId"] = $"https://{hostName}/{SamlPrefix}";
        saml["samlAttributeUserId"] = "uid";
        saml["samlAttributeUserDirectory"] = "[PARTNERS]";
        store.Seed(Family("virtualproxyconfig"), samlProxy, saml, installed);
        foreach (Guid proxy in proxies)
        {
            LinkVirtualProxy(store, proxy, defaultProxy);
        }

        LinkVirtualProxy(store, proxies[0], samlProxy);
    }

    /// <summary>The node's services, one of each, with the settings QRS installs; returns the proxy service's id.</summary>
    public static Guid SeedServices(EntityStore store, Guid node, bool central, DateTime created, Func<Guid> nextId)
    {
        Guid proxy = Guid.Empty;
        foreach (var (family, _) in Services)
        {
            Guid id = nextId();
            store.Seed(store.Schema.Family(family)!, id, new JsonObject
            {
                ["serverNodeConfiguration"] = Ref(node),
                ["settings"] = ServiceSettings(family, central, nextId()),
            }, created);
            if (family == "proxyservice")
            {
                proxy = id;
            }
        }

        return proxy;
    }

    public static JsonObject Node(string name, string hostName, bool central, Guid cluster) => new()
    {
        ["name"] = name,
        ["hostName"] = hostName,
        ["isCentral"] = central,
        ["nodePurpose"] = 2,
        ["engineEnabled"] = true,
        ["proxyEnabled"] = true,
        ["printingEnabled"] = true,
        ["schedulerEnabled"] = true,
        ["failoverCandidate"] = !central,
        ["temporaryfilepath"] = @"C:\Users\qlikservice\AppData\Local\Temp\",
        ["serviceCluster"] = Ref(cluster),
    };

    /// <summary>Adds a virtual proxy to the proxy service's list, once.</summary>
    public static void LinkVirtualProxy(EntityStore store, Guid proxyService, Guid virtualProxy) =>
        store.Patch(store.Schema.Family("proxyservice")!, proxyService, proxy =>
        {
            JsonObject settings = proxy["settings"] as JsonObject ?? new JsonObject();
            JsonArray linked = settings["virtualProxies"] as JsonArray ?? new JsonArray();
            if (!linked.Any(v => string.Equals(v?["id"]?.ToString(), virtualProxy.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                linked.Add(Ref(virtualProxy));
            }

            settings["virtualProxies"] = linked;
            proxy["settings"] = settings;
        });

    private static JsonObject ServiceSettings(string family, bool central, Guid id)
    {
        var settings = new JsonObject { ["id"] = id.ToString() };
        switch (family)
        {
            case "proxyservice":
                settings["listenPort"] = 443;
                settings["unencryptedListenPort"] = 80;
                settings["authenticationListenPort"] = 4244;
                settings["unencryptedAuthenticationListenPort"] = 4248;
                settings["restListenPort"] = 4243;
                settings["keepAliveTimeoutSeconds"] = 10;
                settings["maxHeaderSizeBytes"] = 16384;
                settings["maxHeaderLines"] = 100;
                settings["virtualProxies"] = new JsonArray();
                break;
            case "schedulerservice":
                settings["schedulerServiceType"] = central ? 0 : 1;
                settings["maxConcurrentEngines"] = 4;
                settings["engineTimeout"] = 30;
                break;
            case "engineservice":
                settings["documentDirectory"] = @"\\qlikshare\Apps";
                break;
        }

        return settings;
    }

    private static JsonObject VirtualProxy(string prefix, string description, string cookie, bool defaultVirtualProxy, long authenticationMethod) => new()
    {
        ["prefix"] = prefix,
        ["description"] = description,
        ["sessionCookieHeaderName"] = cookie,
        ["sessionInactivityTimeout"] = 30,
        ["defaultVirtualProxy"] = defaultVirtualProxy,
        ["authenticationMethod"] = authenticationMethod,
        ["useStickyLoadBalancing"] = false,
        ["hasSecureAttributeHttps"] = true,
        ["sameSiteAttributeHttps"] = 3,
    };

    private static JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };
}
