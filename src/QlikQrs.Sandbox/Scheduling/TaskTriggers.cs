using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Scheduling;

/// <summary>
/// What QRS's scheduler does with triggers: schedules (schema events) fire at their next execution, which is kept
/// in their operational part and in their task's; a task event (composite event) starts its task when every one of
/// its rules is met (each named task ended in the state the rule asks for) within its time constraint; a deleted
/// task takes its triggers with it, and the rules that named it.
/// </summary>
public sealed class TaskTriggers
{
    private const long Undefined = 0;
    private const long TaskSuccessful = 1;
    private const long TaskFail = 2;

    private static readonly string[] s_taskProperties = { "reloadTask", "externalProgramTask", "userSyncTask" };

    /// <summary>How often the clock looks for schedules that are due.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly EntityStore _store;
    private readonly TaskRunner _runner;
    private readonly object _gate = new();

    public TaskTriggers(EntityStore store, TaskRunner runner)
    {
        _store = store;
        _runner = runner;
        store.Changed += OnChanged;
        runner.Finished += OnFinished;
    }

    private EntityFamily SchemaEvents => _store.Schema.Family("schemaevent")!;

    private EntityFamily CompositeEvents => _store.Schema.Family("compositeevent")!;

    /// <summary>Fires the schedules that are due, every second, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        RefreshAll();
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                DateTime now = DateTime.UtcNow;
                foreach (StoredEntity schedule in _store.List(SchemaEvents).Where(e => Enabled(e.Value) && NextExecution(e.Value) is DateTime next && next <= now))
                {
                    Fire(schedule);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Fires every enabled schedule once, now; returns how many fired.</summary>
    public int FireSchedules()
    {
        StoredEntity[] schedules = _store.List(SchemaEvents).Where(e => Enabled(e.Value)).ToArray();
        foreach (StoredEntity schedule in schedules)
        {
            Fire(schedule);
        }

        return schedules.Length;
    }

    /// <summary>Sets the next execution of every schedule and task, as after a restart.</summary>
    public void RefreshAll()
    {
        foreach (EntityFamily family in _runner.TaskFamilies)
        {
            foreach (StoredEntity task in _store.List(family))
            {
                Refresh(task.Id);
            }
        }
    }

    private void Fire(StoredEntity schedule)
    {
        lock (_gate)
        {
            DateTime now = DateTime.UtcNow;
            Guid? taskId = TaskOf(schedule.Value);
            if (taskId is Guid id && _runner.FindTask(id) is var (family, task) && Enabled(task.Value))
            {
                _runner.Start(family, task, QrsUser.ServiceAccount.ToString(), $"Triggered by the schedule '{Name(schedule.Value)}'");
            }

            PatchOperational(SchemaEvents, schedule.Value, o =>
            {
                o["timesTriggered"] = (o["timesTriggered"]?.GetValue<long>() ?? 0) + 1;
                o["lastEventDate"] = QrsDate.Format(now);
            });
            if (taskId is Guid owner)
            {
                Refresh(owner, now);
            }
        }
    }

    /// <summary>The next execution of each of the task's schedules, and of the task: the earliest of its enabled schedules'.</summary>
    private void Refresh(Guid taskId, DateTime? firedAt = null)
    {
        lock (_gate)
        {
            if (_runner.FindTask(taskId) is not { } found)
            {
                return;
            }

            var (family, task) = found;
            DateTime after = firedAt ?? DateTime.UtcNow;
            DateTime? earliest = null;
            foreach (StoredEntity schedule in _store.List(SchemaEvents).Where(e => TaskOf(e.Value) == taskId))
            {
                DateTime? next = Enabled(schedule.Value) ? ScheduleCalendar.Next(schedule.Value, after) : null;
                PatchOperational(SchemaEvents, schedule.Value, o => o["nextExecution"] = next is DateTime n ? QrsDate.Format(n) : QrsDate.Never);
                if (next < (earliest ?? DateTime.MaxValue))
                {
                    earliest = next;
                }
            }

            DateTime? taskNext = Enabled(task.Value) ? earliest : null;
            PatchOperational(family, task.Value, o => o["nextExecution"] = taskNext is DateTime n ? QrsDate.Format(n) : QrsDate.Never);
        }
    }

    private void OnChanged(EntityFamily family, StoredEntity? before, StoredEntity? after)
    {
        if (TaskRunner.IsTaskFamily(family))
        {
            if (after is null && before is not null)
            {
                RemoveTriggersOf(before.Id);
            }
            else if (after is not null)
            {
                Refresh(after.Id);
            }
        }
        else if (family == SchemaEvents)
        {
            foreach (Guid taskId in new[] { before, after }.OfType<StoredEntity>().Select(e => TaskOf(e.Value)).OfType<Guid>().Distinct())
            {
                Refresh(taskId);
            }
        }
    }

    private void RemoveTriggersOf(Guid taskId)
    {
        lock (_gate)
        {
            foreach (StoredEntity trigger in _store.List(SchemaEvents).Where(e => TaskOf(e.Value) == taskId).ToArray())
            {
                _store.Delete(SchemaEvents, trigger.Id);
            }

            foreach (StoredEntity trigger in _store.List(CompositeEvents).ToArray())
            {
                JsonObject[] rules = Rules(trigger.Value);
                JsonObject[] kept = rules.Where(r => TaskOf(r) != taskId).ToArray();
                if (TaskOf(trigger.Value) == taskId || (rules.Length > 0 && kept.Length == 0))
                {
                    _store.Delete(CompositeEvents, trigger.Id);
                }
                else if (kept.Length < rules.Length)
                {
                    _store.Patch(CompositeEvents, trigger.Id, e => e["compositeRules"] = new JsonArray(kept.Select(r => (JsonNode)r).ToArray()));
                }
            }
        }
    }

    /// <summary>A run ended: each task event with a rule on that task notes the state, and starts its task when all its rules are met.</summary>
    private void OnFinished(Guid taskId, TaskExecutionStatus status)
    {
        long state = status switch
        {
            TaskExecutionStatus.FinishedSuccess => TaskSuccessful,
            TaskExecutionStatus.FinishedFail or TaskExecutionStatus.Error => TaskFail,
            _ => Undefined,
        };
        if (state == Undefined)
        {
            return;
        }

        var toStart = new List<(StoredEntity Trigger, Guid Task)>();
        lock (_gate)
        {
            DateTime now = DateTime.UtcNow;
            EntityFamily ruleStates = _store.Schema.Family("compositeeventruleoperational")!;
            foreach (StoredEntity trigger in _store.List(CompositeEvents))
            {
                JsonObject[] rules = Rules(trigger.Value);
                if (!rules.Any(r => TaskOf(r) == taskId))
                {
                    continue;
                }

                foreach (JsonObject rule in rules.Where(r => TaskOf(r) == taskId))
                {
                    PatchRuleState(ruleStates, rule, state, now);
                }

                TimeSpan window = TimeConstraint(trigger.Value);
                bool met = rules.All(rule => RuleState(ruleStates, rule) is var (current, at) &&
                    current == (rule["ruleState"]?.GetValue<long>() ?? Undefined) && now - at <= window);
                if (met && Enabled(trigger.Value) && TaskOf(trigger.Value) is Guid target)
                {
                    foreach (JsonObject rule in rules)
                    {
                        PatchRuleState(ruleStates, rule, Undefined, now);
                    }

                    PatchOperational(CompositeEvents, trigger.Value, o => o["timesTriggered"] = (o["timesTriggered"]?.GetValue<long>() ?? 0) + 1);
                    toStart.Add((trigger, target));
                }
            }
        }

        foreach (var (trigger, target) in toStart)
        {
            if (_runner.FindTask(target) is var (family, task) && Enabled(task.Value))
            {
                _runner.Start(family, task, QrsUser.ServiceAccount.ToString(), $"Triggered by the task event '{Name(trigger.Value)}'");
            }
        }
    }

    private void PatchRuleState(EntityFamily ruleStates, JsonObject rule, long state, DateTime now)
    {
        if (Guid.TryParse(rule["operational"]?["id"]?.ToString(), out Guid id) && _store.Find(ruleStates, id) is not null)
        {
            _store.Patch(ruleStates, id, o =>
            {
                o["currentState"] = state;
                o["timeStamp"] = QrsDate.Format(now);
            });
        }
    }

    private (long State, DateTime At)? RuleState(EntityFamily ruleStates, JsonObject rule) =>
        Guid.TryParse(rule["operational"]?["id"]?.ToString(), out Guid id) && _store.Find(ruleStates, id) is StoredEntity found &&
        QrsDate.TryParse(found.Value.GetProperty("timeStamp").GetString(), out DateTime at)
            ? (found.Value.GetProperty("currentState").GetInt64(), at)
            : null;

    /// <summary>How close together the rules must be met; a constraint of nothing (or none at all) leaves them unbounded.</summary>
    private static TimeSpan TimeConstraint(JsonElement trigger)
    {
        if (!trigger.TryGetProperty("timeConstraint", out JsonElement constraint) || constraint.ValueKind != JsonValueKind.Object)
        {
            return TimeSpan.MaxValue;
        }

        long Part(string name) => constraint.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
        TimeSpan window = TimeSpan.FromDays(Part("days")) + TimeSpan.FromHours(Part("hours")) + TimeSpan.FromMinutes(Part("minutes")) + TimeSpan.FromSeconds(Part("seconds"));
        return window > TimeSpan.Zero ? window : TimeSpan.MaxValue;
    }

    private void PatchOperational(EntityFamily family, JsonElement owner, Action<JsonObject> change)
    {
        if (_store.OperationalOf(_store.Schema.Type(family.Entity), owner) is (EntityFamily operational, Guid id) && _store.Find(operational, id) is not null)
        {
            _store.Patch(operational, id, change);
        }
    }

    private DateTime? NextExecution(JsonElement schedule) =>
        _store.OperationalOf(_store.Schema.Type(SchemaEvents.Entity), schedule) is (EntityFamily operational, Guid id) && _store.Find(operational, id) is StoredEntity found &&
        QrsDate.TryParse(found.Value.GetProperty("nextExecution").GetString(), out DateTime next) && next.Year > 1753
            ? next
            : null;

    private static JsonObject[] Rules(JsonElement trigger) =>
        trigger.TryGetProperty("compositeRules", out JsonElement rules) && rules.ValueKind == JsonValueKind.Array
            ? rules.EnumerateArray().Select(r => JsonNode.Parse(r.GetRawText())!.AsObject()).ToArray()
            : [];

    private static Guid? TaskOf(JsonElement owner) => TaskOf(JsonNode.Parse(owner.GetRawText())!.AsObject());

    /// <summary>The task a trigger starts, or a rule watches.</summary>
    private static Guid? TaskOf(JsonObject owner) =>
        s_taskProperties.Select(p => owner[p]?["id"]?.ToString()).Select(t => Guid.TryParse(t, out Guid id) ? id : (Guid?)null).FirstOrDefault(g => g is not null);

    private static bool Enabled(JsonElement entity) => entity.TryGetProperty("enabled", out JsonElement enabled) && enabled.ValueKind == JsonValueKind.True;

    private static string Name(JsonElement entity) => entity.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? string.Empty : string.Empty;
}
