using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>What ending of another task starts a task: its success or its failure (QRS's TaskSuccessful, TaskFail).</summary>
public enum QrsTaskOutcome
{
    Success,
    Failure,
}

/// <summary>
/// Builds QRS's trigger objects: task events (composite events whose rules name the tasks whose ending starts a task,
/// all within a time constraint) and the reference from a trigger to the task it starts, by the task's kind.
/// </summary>
public static class QrsTaskTriggers
{
    /// <summary>The QMC's default: the other tasks must all end so within 360 minutes of each other.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromMinutes(360);

    /// <summary>A task event: <paramref name="starts"/> (null inside a task bundle) starts when every task of <paramref name="rules"/> has ended as it says, within <paramref name="within"/>.</summary>
    public static CompositeEvent TaskEvent(string name, IReadOnlyList<(IQrsEntity Task, QrsTaskOutcome Outcome)> rules, TimeSpan within, IQrsEntity? starts)
    {
        var trigger = new CompositeEvent
        {
            Name = name,
            Enabled = true,
            EventType = CompositeEventEventType.Composite,
            TimeConstraint = new CompositeEventTimeConstraint { Days = within.Days, Hours = within.Hours, Minutes = within.Minutes, Seconds = within.Seconds },
            CompositeRules = rules.Select(rule =>
            {
                var compositeRule = new CompositeEventRule
                {
                    RuleState = rule.Outcome == QrsTaskOutcome.Success ? CompositeEventRuleRuleState.TaskSuccessful : CompositeEventRuleRuleState.TaskFail,
                };
                switch (QrsEntityFamily.Of(rule.Task).EntityType.Name)
                {
                    case nameof(ReloadTask):
                        compositeRule.ReloadTask = new ReloadTaskCondensed { Id = rule.Task.Id };
                        break;
                    case nameof(ExternalProgramTask):
                        compositeRule.ExternalProgramTask = new ExternalProgramTaskCondensed { Id = rule.Task.Id };
                        break;
                    default:
                        compositeRule.UserSyncTask = new UserSyncTaskCondensed { Id = rule.Task.Id };
                        break;
                }

                return compositeRule;
            }).ToList(),
        };
        if (starts is not null)
        {
            Point(trigger, starts);
        }

        return trigger;
    }

    /// <summary>The rules of a task event: each task of <paramref name="onSuccess"/> and <paramref name="onFailure"/>, which must name one task each.</summary>
    public static async Task<IReadOnlyList<(IQrsEntity Task, QrsTaskOutcome Outcome)>> ResolveRulesAsync(QrsClient client, IEnumerable<TaskIdentity> onSuccess,
        IEnumerable<TaskIdentity> onFailure, CancellationToken cancellation)
    {
        var rules = new List<(IQrsEntity Task, QrsTaskOutcome Outcome)>();
        foreach (var (tasks, outcome) in new[] { (onSuccess, QrsTaskOutcome.Success), (onFailure, QrsTaskOutcome.Failure) })
        {
            foreach (TaskIdentity task in tasks)
            {
                rules.Add((await QrsIdentityResolver.ResolveOneAsync(client, task, cancellation).ConfigureAwait(false), outcome));
            }
        }

        return rules;
    }

    /// <summary>Rules as a confirmation names them: "success of 'Load' (id) and failure of ...".</summary>
    public static string DescribeRules(IEnumerable<(IQrsEntity Task, QrsTaskOutcome Outcome)> rules) =>
        string.Join(" and ", rules.Select(r => $"{r.Outcome.ToString().ToLowerInvariant()} of {QrsIdentityResolver.Describe(r.Task)}"));

    /// <summary>Makes a schedule or task event start <paramref name="task"/>: the reference QRS keeps for the task's kind.</summary>
    public static void Point(QrsEntity trigger, IQrsEntity task)
    {
        string kind = QrsEntityFamily.Of(task).EntityType.Name;
        switch (trigger)
        {
            case SchemaEvent schedule:
                schedule.ReloadTask = kind == nameof(ReloadTask) ? new ReloadTaskCondensed { Id = task.Id } : null;
                schedule.ExternalProgramTask = kind == nameof(ExternalProgramTask) ? new ExternalProgramTaskCondensed { Id = task.Id } : null;
                schedule.UserSyncTask = kind == nameof(UserSyncTask) ? new UserSyncTaskCondensed { Id = task.Id } : null;
                break;
            case CompositeEvent taskEvent:
                taskEvent.ReloadTask = kind == nameof(ReloadTask) ? new ReloadTaskCondensed { Id = task.Id } : null;
                taskEvent.ExternalProgramTask = kind == nameof(ExternalProgramTask) ? new ExternalProgramTaskCondensed { Id = task.Id } : null;
                taskEvent.UserSyncTask = kind == nameof(UserSyncTask) ? new UserSyncTaskCondensed { Id = task.Id } : null;
                break;
            default:
                throw new ArgumentException($"A {trigger.GetType().Name} is not a task trigger.", nameof(trigger));
        }
    }

    /// <summary>The QRS filter for the triggers of <paramref name="task"/> in the schemaevent and compositeevent families.</summary>
    public static string FilterFor(IQrsEntity task) =>
        QrsEntityFamily.Of(task).EntityType.Name switch
        {
            nameof(ReloadTask) => $"reloadTask.id eq {task.Id}",
            nameof(ExternalProgramTask) => $"externalProgramTask.id eq {task.Id}",
            _ => $"userSyncTask.id eq {task.Id}",
        };
}
