using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tasks;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>What Get-QrsTask and Get-QrsReloadTask share: the conditions, and full tasks with their last run and next execution.</summary>
public abstract class GetQrsTaskCommandBase : QrsConnectedCmdlet
{
    private protected const string ListSet = "List";
    private protected const string ObjectSet = "Object";

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Reload tasks of this app (other kinds of task have no app).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    public AppIdentity? App { get; set; }

    /// <summary>Tasks that have any of these tags.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Tag>))]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>Only enabled tasks (-Enabled) or only disabled ones (-Enabled:$false).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Enabled { get; set; }

    /// <summary>Tasks whose last run ended (or stands) at any of these statuses; NeverStarted for tasks that have not run.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public TaskExecutionStatus[]? Status { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Tasks given by object or id, read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public TaskIdentity InputObject { get; set; } = null!;

    private protected abstract string[]? Names { get; }

    private protected abstract IReadOnlyList<QrsEntityFamily> Kinds { get; }

    private protected abstract string Noun { get; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            TaskIdentity identity = InputObject;
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                QrsEntityFamily family = QrsEntityFamily.Of(task);
                if (Kinds.Contains(family))
                {
                    PostObject(await client.GetAsync(family, task.Id!.Value, cancellation: cancellation).ConfigureAwait(false));
                }
            }

            return;
        }

        QrsClient site = ConnectionFor(App).Client;
        var conditions = new List<string?> { Filter };
        IReadOnlyList<QrsEntityFamily> kinds = Kinds;
        if (App is not null)
        {
            IQrsEntity app = await QrsIdentityResolver.ResolveOneAsync(site, App, cancellation).ConfigureAwait(false);
            conditions.Add($"app.id eq {app.Id}");
            kinds = new[] { QrsTaskKinds.Reload };
        }

        if (Tag is not null)
        {
            conditions.Add(QrsFilterBuilder.Or(Tag.Select(t => "tags.name eq " + QrsFilterBuilder.Literal(t)).ToArray()));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Enabled)))
        {
            conditions.Add("enabled eq " + (Enabled.IsPresent ? "true" : "false"));
        }

        // The last status is matched here: QRS keeps it in the operational part, which not every version filters on.
        HashSet<TaskExecutionStatus>? statuses = Status is null ? null : new HashSet<TaskExecutionStatus>(Status);
        await foreach (QrsEntity task in QrsFinder.FindAsync(site, Names, Id, QrsFilterBuilder.And(conditions.ToArray()),
            query => QrsTaskKinds.ListAsync(site, kinds, full: true, query with { OrderBy = "name" }, cancellation), Noun, cancellation).ConfigureAwait(false))
        {
            if (statuses is null || statuses.Contains(QrsTaskKinds.LastStatus(task)))
            {
                PostObject(task);
            }
        }
    }
}

/// <summary>Gets tasks of every kind (reload, external program, user sync) with their last run and next execution.</summary>
[Cmdlet(VerbsCommon.Get, "QrsTask", DefaultParameterSetName = ListSet)]
[OutputType(typeof(ReloadTask), typeof(ExternalProgramTask), typeof(UserSyncTask))]
public sealed class GetQrsTaskCommand : GetQrsTaskCommandBase
{
    /// <summary>Tasks with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    private protected override string[]? Names => Name;

    private protected override IReadOnlyList<QrsEntityFamily> Kinds => QrsTaskKinds.All;

    private protected override string Noun => "Task";
}

/// <summary>Gets reload tasks with their app, last run and next execution.</summary>
[Cmdlet(VerbsCommon.Get, "QrsReloadTask", DefaultParameterSetName = ListSet)]
[OutputType(typeof(ReloadTask))]
public sealed class GetQrsReloadTaskCommand : GetQrsTaskCommandBase
{
    /// <summary>Reload tasks with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ReloadTask>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    private protected override string[]? Names => Name;

    private protected override IReadOnlyList<QrsEntityFamily> Kinds => new[] { QrsTaskKinds.Reload };

    private protected override string Noun => "ReloadTask";
}
