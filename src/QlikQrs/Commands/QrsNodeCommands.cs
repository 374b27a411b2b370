using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Site;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets the repository's build and the kind of node it runs on (GET /qrs/about).</summary>
[Cmdlet(VerbsCommon.Get, "QrsAbout")]
[OutputType(typeof(About))]
public sealed class GetQrsAboutCommand : QrsConnectedCmdlet
{
    protected override async Task ProcessRecordAsync(CancellationToken cancellation) =>
        PostObject(await ConnectionFor(null).Client.GetAboutAsync(cancellation).ConfigureAwait(false));
}

/// <summary>Gets the site's nodes by name (wildcards allowed), id or filter, the central node, or the node the connection's repository runs on.</summary>
[Cmdlet(VerbsCommon.Get, "QrsNode", DefaultParameterSetName = ListSet)]
[OutputType(typeof(ServerNodeConfiguration))]
public sealed class GetQrsNodeCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string LocalSet = "Local";
    private const string ObjectSet = "Object";

    /// <summary>Nodes with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ServerNodeConfiguration>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Only the central node.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Central { get; set; }

    /// <summary>The node whose repository the connection talks to.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LocalSet)]
    public SwitchParameter Local { get; set; }

    /// <summary>Nodes given by object (a node, a service or status's node, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public NodeIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        switch (ParameterSetName)
        {
            case LocalSet:
                PostObject(await ConnectionFor(null).Client.GetLocalNodeAsync(cancellation).ConfigureAwait(false));
                return;
            case ObjectSet:
                await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
                return;
        }

        string? filter = Central.IsPresent ? QrsFilterBuilder.And(Filter, "isCentral eq true") : Filter;
        QrsClient nodes = ConnectionFor(null).Client;
        await foreach (ServerNodeConfiguration node in QrsFinder.FindAsync(nodes, Name, Id, filter, query => nodes.ListAsync<ServerNodeConfiguration>(query with { OrderBy = "name" }, cancellation), "Node", cancellation).ConfigureAwait(false))
        {
            PostObject(node);
        }
    }
}

/// <summary>Gets the status of the site's services: for each node, each service, its state by name and the node's last heartbeat.</summary>
[Cmdlet(VerbsCommon.Get, "QrsServiceStatus")]
[OutputType(typeof(QrsServiceStatus))]
public sealed class GetQrsServiceStatusCommand : QrsConnectedCmdlet
{
    /// <summary>Only the services of these nodes: names (wildcards allowed), ids or node objects.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ServerNodeConfiguration>))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public NodeIdentity[]? Node { get; set; }

    /// <summary>Only these services.</summary>
    [Parameter]
    public ServiceStatusServiceType[]? Service { get; set; }

    /// <summary>Only services in these states, e.g. NoCommunication to see what is down.</summary>
    [Parameter]
    public ServiceStatusServiceState[]? Status { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        NodeIdentity[]? given = Node;
        ServiceStatusServiceType[]? services = Service;
        ServiceStatusServiceState[]? states = Status;
        QrsClient client = ConnectionFor(given?.FirstOrDefault()).Client;
        List<Guid>? nodes = null;
        if (given is not null)
        {
            nodes = new List<Guid>();
            foreach (NodeIdentity identity in given)
            {
                await foreach (IQrsEntity node in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
                {
                    nodes.Add(node.Id!.Value);
                }
            }

            if (nodes.Count == 0)
            {
                return;
            }
        }

        foreach (QrsServiceStatus status in await QrsServiceStatusReader.ReadAsync(client, nodes, cancellation).ConfigureAwait(false))
        {
            if ((services is null || status.Service is ServiceStatusServiceType service && services.Contains(service)) &&
                (states is null || status.Status is ServiceStatusServiceState state && states.Contains(state)))
            {
                PostObject(status);
            }
        }
    }
}

/// <summary>
/// Adds a node to the site and starts its registration: QRS creates the node with the services it enables and
/// answers the password that the node's installation asks for. The password is shown once; QRS gives a new one
/// each time the registration is started again (-Node).
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "QrsNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NewSet)]
[OutputType(typeof(QrsNodeRegistration))]
public sealed class RegisterQrsNodeCommand : QrsChangeCmdlet
{
    private const string NewSet = "New";
    private const string ExistingSet = "Existing";

    /// <summary>The new node's host name, as the other nodes reach it (fully qualified where the site uses that).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NewSet)]
    [ValidateNotNullOrEmpty]
    public string HostName { get; set; } = null!;

    /// <summary>The node's name in the QMC; the host name when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NewSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>What the node is for: Production, Development or ProductionAndDevelopment (the default).</summary>
    [Parameter(ParameterSetName = NewSet)]
    public ServerNodeConfigurationNodePurpose NodePurpose { get; set; } = ServerNodeConfigurationNodePurpose.ProductionAndDevelopment;

    /// <summary>The services the node runs besides its repository; Engine, Proxy, Scheduler and Printing when left out.</summary>
    [Parameter(ParameterSetName = NewSet)]
    [ValidateSet("Engine", "Proxy", "Scheduler", "Printing")]
    public string[] Service { get; set; } = { "Engine", "Proxy", "Scheduler", "Printing" };

    /// <summary>Whether the node may take over as central node when the central one fails.</summary>
    [Parameter(ParameterSetName = NewSet)]
    public SwitchParameter FailoverCandidate { get; set; }

    /// <summary>A node already added whose registration starts again (a new password), e.g. after a reinstallation.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ExistingSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ServerNodeConfiguration>))]
    public NodeIdentity Node { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ExistingSet)
        {
            NodeIdentity identity = Node;
            QrsClient existing = ConnectionFor(identity).Client;
            IQrsEntity found = await QrsIdentityResolver.ResolveOneAsync(existing, identity, cancellation).ConfigureAwait(false);
            if (await ShouldProcessAsync($"the node {QrsIdentityResolver.Describe(found)}", "Start the registration again").ConfigureAwait(false))
            {
                ServerNodeConfiguration full = await existing.GetAsync<ServerNodeConfiguration>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
                PostObject(new QrsNodeRegistration(full, await existing.StartNodeRegistrationAsync(found.Id!.Value, cancellation).ConfigureAwait(false)));
            }

            return;
        }

        string hostName = HostName;
        string name = Name ?? HostName;
        var configuration = new ServerNodeConfiguration
        {
            Name = name,
            HostName = hostName,
            NodePurpose = NodePurpose,
            EngineEnabled = Service.Contains("Engine", StringComparer.OrdinalIgnoreCase),
            ProxyEnabled = Service.Contains("Proxy", StringComparer.OrdinalIgnoreCase),
            SchedulerEnabled = Service.Contains("Scheduler", StringComparer.OrdinalIgnoreCase),
            PrintingEnabled = Service.Contains("Printing", StringComparer.OrdinalIgnoreCase),
            FailoverCandidate = FailoverCandidate.IsPresent,
            IsCentral = false,
        };
        if (!await ShouldProcessAsync($"the node '{name}' on {hostName} with the services {string.Join(", ", new[] { "Repository" }.Concat(Service))}", "Add and start its registration").ConfigureAwait(false))
        {
            return;
        }

        QrsClient client = ConnectionFor(null).Client;
        ServerNodeResultContainer created = await client.CreateNodeAsync(configuration, cancellation).ConfigureAwait(false);
        Guid id = created.Configuration?.Id ?? throw new QrsCommandException("QrsNodeNotCreated", ErrorCategory.InvalidResult,
            $"QRS answered the creation of the node '{name}' without the node's id.", hostName, "Get-QrsNode shows whether it was created.");
        ServerNodeConfiguration node = await client.GetAsync<ServerNodeConfiguration>(id, cancellation: cancellation).ConfigureAwait(false);
        PostObject(new QrsNodeRegistration(node, await client.StartNodeRegistrationAsync(id, cancellation).ConfigureAwait(false)));
    }
}

/// <summary>Moves the central node's role to another node, a failover candidate (POST /failover/tonode/{id}).</summary>
[Cmdlet(VerbsCommon.Set, "QrsCentralNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ServerNodeConfiguration))]
public sealed class SetQrsCentralNodeCommand : QrsChangeCmdlet
{
    /// <summary>The node to become the central one: name, id or node object.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ServerNodeConfiguration>))]
    public NodeIdentity Node { get; set; } = null!;

    /// <summary>Writes the node, now central, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        NodeIdentity identity = Node;
        bool passThru = PassThru.IsPresent;
        QrsClient client = ConnectionFor(identity).Client;
        IQrsEntity node = await QrsIdentityResolver.ResolveOneAsync(client, identity, cancellation).ConfigureAwait(false);
        if (!await ShouldProcessAsync($"the node {QrsIdentityResolver.Describe(node)}", "Make it the central node").ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await client.MoveCentralNodeAsync(node.Id!.Value, cancellation).ConfigureAwait(false);
        }
        catch (QrsRequestException exception)
        {
            throw exception.About(node);
        }

        if (passThru)
        {
            PostObject(await client.GetAsync<ServerNodeConfiguration>(node.Id!.Value, cancellation: cancellation).ConfigureAwait(false));
        }
    }
}
