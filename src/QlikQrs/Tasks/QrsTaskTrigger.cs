using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>
/// One trigger of a task as the QMC's Triggers list shows it: a schedule (QRS's schema event) or a task event (a
/// composite event: other tasks' success or failure), with what it means in words and, for a schedule, when it fires next.
/// </summary>
public sealed class QrsTaskTrigger
{
    private QrsTaskTrigger(QrsEntity trigger, IQrsEntity task)
    {
        Trigger = trigger;
        TaskId = task.Id;
        TaskName = (task as IQrsNamedEntity)?.Name;
        switch (trigger)
        {
            case SchemaEvent schedule:
                Kind = "Schedule";
                Id = schedule.Id!.Value;
                Name = schedule.Name;
                Enabled = schedule.Enabled == true;
                Description = QrsTaskSchedules.Describe(schedule);
                NextExecution = schedule.Operational?.NextExecution is QrsDateTime { IsNever: false } next ? next.LocalTime : null;
                break;
            case CompositeEvent taskEvent:
                Kind = "TaskEvent";
                Id = taskEvent.Id!.Value;
                Name = taskEvent.Name;
                Enabled = taskEvent.Enabled == true;
                Description = Describe(taskEvent);
                break;
            default:
                throw new ArgumentException($"A {trigger.GetType().Name} is not a task trigger.", nameof(trigger));
        }
    }

    public string? TaskName { get; }

    public Guid? TaskId { get; }

    /// <summary>Schedule or TaskEvent.</summary>
    public string Kind { get; }

    public string? Name { get; }

    public bool Enabled { get; }

    /// <summary>What the trigger means, in words: "Daily at 02:00 (Europe/Paris)", "On success of 'Load'".</summary>
    public string Description { get; }

    /// <summary>When a schedule fires next, in local time; null for task events and schedules that will not fire again.</summary>
    public DateTime? NextExecution { get; }

    public Guid Id { get; }

    /// <summary>The trigger as QRS holds it: a SchemaEvent or a CompositeEvent.</summary>
    public QrsEntity Trigger { get; }

    [Hidden]
    public QrsConnection? Connection => Trigger.Connection;

    internal QrsEntityFamily Family => QrsEntityFamilies.OfType(Trigger.GetType())!;

    /// <summary>The schedules and task events that start <paramref name="task"/>, schedules first.</summary>
    public static async Task<IReadOnlyList<QrsTaskTrigger>> ListAsync(QrsClient client, IQrsEntity task, CancellationToken cancellation)
    {
        var query = new QrsQuery(QrsTaskTriggers.FilterFor(task), "name");
        var triggers = new List<QrsTaskTrigger>();
        await foreach (SchemaEvent schedule in client.ListAsync<SchemaEvent>(query, cancellation).ConfigureAwait(false))
        {
            triggers.Add(new QrsTaskTrigger(schedule, task));
        }

        await foreach (CompositeEvent taskEvent in client.ListAsync<CompositeEvent>(query, cancellation).ConfigureAwait(false))
        {
            triggers.Add(new QrsTaskTrigger(taskEvent, task));
        }

        return triggers;
    }

    /// <summary>A trigger just created or changed, read again in full (a schedule's next execution is worked out on the way).</summary>
    public static async Task<QrsTaskTrigger> GetAsync(QrsClient client, QrsEntity trigger, IQrsEntity task, CancellationToken cancellation)
    {
        QrsEntityFamily family = QrsEntityFamilies.OfType(trigger.GetType())!;
        QrsEntity current = await client.GetAsync(family, ((IQrsEntity)trigger).Id!.Value, cancellation: cancellation).ConfigureAwait(false);
        return new QrsTaskTrigger(current, task);
    }

    /// <summary>The same for a trigger that was listed for its task.</summary>
    public static Task<QrsTaskTrigger> GetAsync(QrsClient client, QrsEntity trigger, QrsTaskTrigger listed, CancellationToken cancellation) =>
        GetAsync(client, trigger, new TaskReference(listed.TaskId, listed.TaskName), cancellation);

    public override string ToString() => $"{Kind} '{Name}': {Description}";

    /// <summary>A task known only by id and name, as a listed trigger remembers it.</summary>
    private sealed class TaskReference(Guid? id, string? name) : IQrsNamedEntity
    {
        public Guid? Id { get; set; } = id;

        public string? Name { get; set; } = name;
    }

    private static string Describe(CompositeEvent taskEvent)
    {
        IEnumerable<string> rules = (taskEvent.CompositeRules ?? new List<CompositeEventRule>()).Select(rule =>
        {
            string outcome = rule.RuleState == CompositeEventRuleRuleState.TaskFail ? "failure" : "success";
            IQrsNamedEntity? task = (IQrsNamedEntity?)rule.ReloadTask ?? (IQrsNamedEntity?)rule.ExternalProgramTask ?? rule.UserSyncTask;
            return $"{outcome} of {(task?.Name is string name ? $"'{name}'" : task?.Id.ToString())}";
        });
        CompositeEventTimeConstraint? limit = taskEvent.TimeConstraint;
        var within = new TimeSpan(limit?.Days ?? 0, limit?.Hours ?? 0, limit?.Minutes ?? 0, limit?.Seconds ?? 0);
        return "On " + string.Join(" and ", rules) + (within > TimeSpan.Zero ? $", within {within.TotalMinutes:0} minutes" : string.Empty);
    }
}
