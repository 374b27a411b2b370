using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using QlikQrs.Site;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets virtual proxies by prefix (wildcards allowed), id or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsVirtualProxy", DefaultParameterSetName = ListSet)]
[OutputType(typeof(VirtualProxyConfig))]
public sealed class GetQrsVirtualProxyCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string FilterSet = "Filter";
    private const string ObjectSet = "Object";

    /// <summary>Virtual proxies with these prefixes; * and ? are wildcards. The default virtual proxy's prefix is empty: -Filter 'defaultVirtualProxy eq true' finds it.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsVirtualProxyCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(@"\S")]
    [SupportsWildcards]
    public string[]? Prefix { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>A QRS filter, as QRS reads it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string Filter { get; set; } = null!;

    /// <summary>Virtual proxies given by object (a virtual proxy, condensed or full, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public VirtualProxyIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        IEnumerable<VirtualProxyIdentity> identities = ParameterSetName == ObjectSet
            ? new[] { InputObject }
            : (Prefix ?? Array.Empty<string>()).Select(p => new VirtualProxyIdentity(p)).Concat((Id ?? Array.Empty<Guid>()).Select(id => new VirtualProxyIdentity(id))).ToArray();
        if (ParameterSetName == FilterSet || !identities.Any())
        {
            string? filter = ParameterSetName == FilterSet ? Filter : null;
            await foreach (VirtualProxyConfig proxy in ConnectionFor(null).Client.ListAsync<VirtualProxyConfig>(new QrsQuery(filter, "prefix"), cancellation).ConfigureAwait(false))
            {
                PostObject(proxy);
            }

            return;
        }

        foreach (VirtualProxyIdentity identity in identities)
        {
            await PostFullAsync(identity, cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>The parameters New- and Set-QrsVirtualProxy share: what a virtual proxy's QMC page sets.</summary>
public abstract class QrsVirtualProxyChangeCmdlet : QrsChangeCmdlet
{
    /// <summary>The text in the QMC's list of virtual proxies.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Description { get; set; }

    /// <summary>The name of the session cookie; X-Qlik-Session-&lt;prefix&gt; for a new virtual proxy when left out. Each virtual proxy needs its own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionCookieHeaderName { get; set; }

    /// <summary>Ticket, HeaderStaticUserDirectory, HeaderDynamicUserDirectory, SAML, JWT or OIDC.</summary>
    [Parameter]
    public VirtualProxyConfigAuthenticationMethod? AuthenticationMethod { get; set; }

    /// <summary>Header authentication: the header that carries the user id (with no -AuthenticationMethod, static header authentication).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HeaderName { get; set; }

    /// <summary>Static header authentication: the user directory of the users the header names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HeaderUserDirectory { get; set; }

    /// <summary>Minutes of inactivity after which a session ends.</summary>
    [Parameter]
    [ValidateRange(1, 525600)]
    public int? SessionInactivityTimeout { get; set; }

    /// <summary>The nodes whose engines the virtual proxy balances sessions over: names, ids or node objects.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsNameCompleter<ServerNodeConfiguration>))]
    [ValidateNotNullOrEmpty]
    public NodeIdentity[]? LoadBalancingNode { get; set; }

    /// <summary>The host names browsers may open websockets from (the QMC's "Host allow list").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? WebsocketCrossOriginWhiteList { get; set; }

    /// <summary>The settings given, with the load balancing nodes resolved through <paramref name="client"/>.</summary>
    private protected async Task<VirtualProxySettings> SettingsAsync(QrsClient client, string? prefix, CancellationToken cancellation)
    {
        List<ServerNodeConfigurationCondensed>? nodes = null;
        if (LoadBalancingNode is NodeIdentity[] given)
        {
            nodes = new List<ServerNodeConfigurationCondensed>();
            foreach (NodeIdentity identity in given)
            {
                await foreach (IQrsEntity node in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
                {
                    nodes.Add(new ServerNodeConfigurationCondensed { Id = node.Id, Name = (node as IQrsNamedEntity)?.Name });
                }
            }
        }

        return new VirtualProxySettings
        {
            Prefix = prefix,
            Description = Description,
            SessionCookieHeaderName = SessionCookieHeaderName,
            AuthenticationMethod = AuthenticationMethod,
            HeaderName = HeaderName,
            HeaderUserDirectory = HeaderUserDirectory,
            SessionInactivityTimeout = SessionInactivityTimeout,
            LoadBalancingNodes = nodes,
            WebsocketCrossOriginWhiteList = WebsocketCrossOriginWhiteList,
        };
    }
}

/// <summary>Creates a virtual proxy and, with -ProxyService, links it to proxy services so that they answer on its prefix.</summary>
[Cmdlet(VerbsCommon.New, "QrsVirtualProxy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(VirtualProxyConfig))]
public sealed class NewQrsVirtualProxyCommand : QrsVirtualProxyChangeCmdlet
{
    /// <summary>The path segment that leads to the virtual proxy: https://host/&lt;prefix&gt;/.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prefix { get; set; } = null!;

    /// <summary>The proxy services to link it to: their nodes' names (wildcards allowed), ids or proxy service objects.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsProxyServiceCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public ProxyServiceIdentity[]? ProxyService { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string prefix = Prefix;
        ProxyServiceIdentity[]? proxies = ProxyService;
        QrsClient client = ConnectionFor(null).Client;
        VirtualProxySettings settings = await SettingsAsync(client, prefix, cancellation).ConfigureAwait(false);
        VirtualProxyConfig proxy = settings.NewProxy();
        if (!await ShouldProcessAsync($"the virtual proxy '{prefix}' ({proxy.SessionCookieHeaderName}, {proxy.AuthenticationMethod})", "Create").ConfigureAwait(false))
        {
            return;
        }

        var created = (VirtualProxyConfig)await client.CreateAsync(QrsEntityFamily.Of(proxy), proxy, cancellation).ConfigureAwait(false);
        foreach (ProxyServiceIdentity identity in proxies ?? Array.Empty<ProxyServiceIdentity>())
        {
            await foreach (IQrsEntity service in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                ProxyService full = await client.GetAsync<ProxyService>(service.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
                if (QrsProxyLinks.Change(full, new[] { created.Id!.Value }, link: true) is ProxyService changed)
                {
                    await client.UpdateAsync(QrsEntityFamily.Of(changed), changed.Id!.Value, changed, cancellation).ConfigureAwait(false);
                }
            }
        }

        PostObject(created);
    }
}

/// <summary>Changes virtual proxies: prefix, description, cookie, authentication, load balancing, allowed origins.</summary>
[Cmdlet(VerbsCommon.Set, "QrsVirtualProxy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(VirtualProxyConfig))]
public sealed class SetQrsVirtualProxyCommand : QrsVirtualProxyChangeCmdlet
{
    /// <summary>The virtual proxy: prefix (wildcards allowed), id, or a virtual proxy object from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsVirtualProxyCompleter))]
    [SupportsWildcards]
    public VirtualProxyIdentity VirtualProxy { get; set; } = null!;

    /// <summary>A new prefix.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Prefix { get; set; }

    /// <summary>Writes the changed virtual proxy to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        VirtualProxyIdentity identity = VirtualProxy;
        bool passThru = PassThru.IsPresent;
        VirtualProxySettings settings = await SettingsAsync(ConnectionFor(identity).Client, Prefix, cancellation).ConfigureAwait(false);
        await UpdateEachAsync(identity, settings.Changes(), "-Prefix, -Description, -SessionCookieHeaderName, -AuthenticationMethod, -HeaderName, -HeaderUserDirectory, -SessionInactivityTimeout, -LoadBalancingNode or -WebsocketCrossOriginWhiteList",
            settings.ApplyTo, passThru, cancellation).ConfigureAwait(false);
    }
}

/// <summary>What Add- and Remove-QrsProxyVirtualProxy share: the proxy services, the virtual proxies, the read-change-save of the list.</summary>
public abstract class QrsProxyLinkCmdlet : QrsChangeCmdlet
{
    /// <summary>The proxy services: their nodes' names (wildcards allowed), ids or proxy service objects.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsProxyServiceCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public ProxyServiceIdentity[] ProxyService { get; set; } = null!;

    /// <summary>The virtual proxies: prefixes (wildcards allowed), ids or virtual proxy objects from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsVirtualProxyCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public VirtualProxyIdentity[] VirtualProxy { get; set; } = null!;

    /// <summary>Writes each changed proxy service to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected async Task ChangeLinksAsync(bool link, CancellationToken cancellation)
    {
        ProxyServiceIdentity[] services = ProxyService;
        VirtualProxyIdentity[] proxies = VirtualProxy;
        bool passThru = PassThru.IsPresent;
        QrsClient client = ConnectionFor(proxies.FirstOrDefault()).Client;
        var wanted = new List<(Guid Id, string Shown)>();
        foreach (VirtualProxyIdentity identity in proxies)
        {
            await foreach (IQrsEntity found in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                wanted.Add((found.Id!.Value, identity.NameOf(found) is string prefix ? $"'{prefix}'" : found.Id!.Value.ToString()));
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        string action = (link ? "Link the virtual proxies " : "Unlink the virtual proxies ") + string.Join(", ", wanted.Select(w => w.Shown));
        foreach (ProxyServiceIdentity identity in services)
        {
            await foreach (IQrsEntity service in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                if (!await ShouldProcessAsync($"the proxy service of the node '{identity.NameOf(service)}' ({service.Id})", action).ConfigureAwait(false))
                {
                    continue;
                }

                try
                {
                    ProxyService full = await client.GetAsync<ProxyService>(service.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
                    ProxyService? changed = QrsProxyLinks.Change(full, wanted.Select(w => w.Id).ToArray(), link);
                    ProxyService result = changed is null ? full
                        : (ProxyService)await client.UpdateAsync(QrsEntityFamily.Of(changed), changed.Id!.Value, changed, cancellation).ConfigureAwait(false);
                    if (passThru)
                    {
                        PostObject(result);
                    }
                }
                catch (QrsRequestException exception)
                {
                    PostError(exception.About(service).ToErrorRecord());
                }
            }
        }
    }
}

/// <summary>Links virtual proxies to proxy services, so that each answers on their prefixes.</summary>
[Cmdlet(VerbsCommon.Add, "QrsProxyVirtualProxy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Model.ProxyService))]
public sealed class AddQrsProxyVirtualProxyCommand : QrsProxyLinkCmdlet
{
    protected override Task ProcessRecordAsync(CancellationToken cancellation) => ChangeLinksAsync(link: true, cancellation);
}

/// <summary>Unlinks virtual proxies from proxy services; the virtual proxies themselves stay.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsProxyVirtualProxy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Model.ProxyService))]
public sealed class RemoveQrsProxyVirtualProxyCommand : QrsProxyLinkCmdlet
{
    protected override Task ProcessRecordAsync(CancellationToken cancellation) => ChangeLinksAsync(link: false, cancellation);
}

/// <summary>Saves the service provider metadata of SAML virtual proxies, the file the identity provider is given.</summary>
[Cmdlet(VerbsData.Export, "QrsSamlMetadata", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportQrsSamlMetadataCommand : QrsChangeCmdlet
{
    /// <summary>The SAML virtual proxy: prefix (wildcards allowed), id, or a virtual proxy object from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsVirtualProxyCompleter))]
    [SupportsWildcards]
    public VirtualProxyIdentity VirtualProxy { get; set; } = null!;

    /// <summary>An .xml file, or a folder for files named &lt;prefix&gt;_metadata_sp.xml; the current folder when left out.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Overwrites a file that exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        VirtualProxyIdentity identity = VirtualProxy;
        string destination = FileSystemPaths.Resolve(SessionState, Path ?? ".", nameof(Path));
        bool force = Force.IsPresent;
        QrsClient client = ConnectionFor(identity).Client;
        await foreach (IQrsEntity proxy in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            string prefix = identity.NameOf(proxy) is { Length: > 0 } named ? named : "default";
            bool toFolder = Directory.Exists(destination) || destination.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal);
            string file = toFolder ? System.IO.Path.Combine(destination, SafeFileName.For(prefix) + "_metadata_sp.xml") : destination;
            if (QrsTransfer.CannotWrite(file, force) is string reason)
            {
                PostError(new QrsCommandException("QrsExportPathInvalid", ErrorCategory.InvalidArgument, reason, proxy, File.Exists(file) ? "Give -Force to overwrite it, or another -Path." : "Give a -Path in a folder that exists.").ErrorRecord);
                continue;
            }

            if (!await ShouldProcessAsync($"the SAML metadata of the virtual proxy '{prefix}' to '{file}'", "Export").ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                PostObject(await client.ExportSamlMetadataAsync(proxy.Id!.Value, file, force, cancellation).ConfigureAwait(false));
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(proxy).ToErrorRecord());
            }
        }
    }
}
