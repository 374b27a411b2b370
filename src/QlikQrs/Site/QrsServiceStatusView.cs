using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Site;

/// <summary>One service of one node as the QMC's service status page shows it.</summary>
public sealed class QrsServiceStatus
{
    public string? Node { get; init; }

    public string? HostName { get; init; }

    /// <summary>Repository, Proxy, Scheduler, Engine, AppMigration or Printing.</summary>
    public ServiceStatusServiceType? Service { get; init; }

    /// <summary>Running, NoCommunication, Initializing, CertificatesNotInstalled, Disabled or Unknown.</summary>
    public ServiceStatusServiceState? Status { get; init; }

    /// <summary>When the repository last checked the service.</summary>
    public QrsDateTime? Timestamp { get; init; }

    /// <summary>The node's last heartbeat; none for a node that has never sent one.</summary>
    public QrsDateTime? LastHeartbeat { get; init; }

    public Guid? NodeId { get; init; }

    /// <summary>The id of the service status entry.</summary>
    public Guid? Id { get; init; }
}

/// <summary>Reads the service status entries and the nodes' heartbeats and puts them side by side.</summary>
public static class QrsServiceStatusReader
{
    /// <summary>The status of every service of the nodes <paramref name="nodes"/> (all when null), in node and service order.</summary>
    public static async Task<IReadOnlyList<QrsServiceStatus>> ReadAsync(QrsClient client, IReadOnlyCollection<Guid>? nodes, CancellationToken cancellation)
    {
        string? filter = nodes is null ? null : string.Join(" or ", nodes.Select(n => $"serverNodeConfiguration.id eq {n}"));
        var heartbeats = new Dictionary<Guid, QrsDateTime?>();
        await foreach (ServerNodeHeartbeat heartbeat in client.ListAsync<ServerNodeHeartbeat>(new QrsQuery(filter), cancellation).ConfigureAwait(false))
        {
            if (heartbeat.ServerNodeConfiguration?.Id is Guid node && (!heartbeats.TryGetValue(node, out QrsDateTime? known) || Later(heartbeat.Timestamp, known)))
            {
                heartbeats[node] = heartbeat.Timestamp;
            }
        }

        var statuses = new List<QrsServiceStatus>();
        await foreach (ServiceStatus status in client.ListAsync<ServiceStatus>(new QrsQuery(filter), cancellation).ConfigureAwait(false))
        {
            Guid? node = status.ServerNodeConfiguration?.Id;
            statuses.Add(new QrsServiceStatus
            {
                Node = status.ServerNodeConfiguration?.Name,
                HostName = status.ServerNodeConfiguration?.HostName,
                Service = status.ServiceType,
                Status = status.ServiceState,
                Timestamp = status.Timestamp,
                LastHeartbeat = node is Guid known && heartbeats.TryGetValue(known, out QrsDateTime? beat) ? beat : null,
                NodeId = node,
                Id = status.Id,
            });
        }

        return statuses.OrderBy(s => s.Node, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Service).ToList();
    }

    private static bool Later(QrsDateTime? candidate, QrsDateTime? known) =>
        candidate is not null && (known is null || candidate.Value > known.Value);
}
