using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>
/// The kinds of task QRS keeps, each in a family of its own (reloadtask, externalprogramtask, usersynctask); a task
/// is looked up in all of them, as the QMC's task list shows them together.
/// </summary>
public static class QrsTaskKinds
{
    /// <summary>Every task family, reload tasks first.</summary>
    public static IReadOnlyList<QrsEntityFamily> All { get; } = new[] { "reloadtask", "externalprogramtask", "usersynctask" }
        .Select(name => QrsEntityFamilies.Find(name) ?? throw new InvalidOperationException($"The model has no {name} family."))
        .ToArray();

    public static QrsEntityFamily Reload => All[0];

    /// <summary>Whether <paramref name="fullTypeName"/> (ReloadTask, UserSyncTask, ..., or QRS's Task union) is a task.</summary>
    public static bool IsTaskType(string fullTypeName) =>
        fullTypeName.Equals(nameof(Model.Task), StringComparison.OrdinalIgnoreCase)
        || All.Any(f => f.EntityType.Name.Equals(fullTypeName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The tasks of <paramref name="kinds"/> that fit <paramref name="query"/>, one family after another.</summary>
    public static async IAsyncEnumerable<QrsEntity> ListAsync(QrsClient client, IEnumerable<QrsEntityFamily> kinds, bool full, QrsQuery query,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        foreach (QrsEntityFamily family in kinds)
        {
            await foreach (QrsEntity task in client.ListAsync(family, full, query, cancellation).ConfigureAwait(false))
            {
                yield return task;
            }
        }
    }

    /// <summary>The same, as the identities the resolver matches names and ids against.</summary>
    internal static async IAsyncEnumerable<IQrsEntity> CandidatesAsync(QrsClient client, QrsQuery query, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await foreach (QrsEntity task in ListAsync(client, All, full: false, query, cancellation).ConfigureAwait(false))
        {
            yield return (IQrsEntity)task;
        }
    }

    /// <summary>The last run a task's operational part holds (full or condensed task of any kind), or null.</summary>
    public static ExecutionResultCondensed? LastRun(object task) => task switch
    {
        ReloadTask t => t.Operational?.LastExecutionResult,
        ReloadTaskCondensed t => t.Operational?.LastExecutionResult,
        ExternalProgramTask t => t.Operational?.LastExecutionResult,
        ExternalProgramTaskCondensed t => t.Operational?.LastExecutionResult,
        UserSyncTask t => t.Operational?.LastExecutionResult,
        UserSyncTaskCondensed t => t.Operational?.LastExecutionResult,
        _ => null,
    };

    /// <summary>The status of a task's last run; NeverStarted when it has none.</summary>
    public static TaskExecutionStatus LastStatus(object task) => LastRun(task)?.Status ?? TaskExecutionStatus.NeverStarted;

    /// <summary>Whether the task is a reload task, the only kind with a script log.</summary>
    public static bool IsReload(object task) => task is ReloadTask or ReloadTaskCondensed;
}
