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

/// <summary>Gets the triggers of tasks, schedules and task events in one list.</summary>
[Cmdlet(VerbsCommon.Get, "QrsTaskTrigger")]
[OutputType(typeof(QrsTaskTrigger))]
public sealed class GetQrsTaskTriggerCommand : QrsConnectedCmdlet
{
    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    /// <summary>Only triggers with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsNamePattern[] names = (Name ?? Array.Empty<string>()).Select(n => new QrsNamePattern(n)).ToArray();
        foreach (TaskIdentity identity in Task)
        {
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                foreach (QrsTaskTrigger trigger in await QrsTaskTrigger.ListAsync(client, task, cancellation).ConfigureAwait(false))
                {
                    if (names.Length == 0 || names.Any(n => n.IsMatch(trigger.Name)))
                    {
                        PostObject(trigger);
                    }
                }
            }
        }
    }
}

/// <summary>Makes a schedule: on tasks (-Task), or for New-QrsReloadTask -Schedule.</summary>
[Cmdlet(VerbsCommon.New, "QrsTaskSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(QrsTaskTrigger), typeof(SchemaEvent))]
public sealed class NewQrsTaskScheduleCommand : QrsChangeCmdlet
{
    /// <summary>The tasks the schedule starts; without it the schedule is written out unsaved, for New-QrsReloadTask -Schedule.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[]? Task { get; set; }

    /// <summary>Once, Minute, Hourly, Daily, Weekly or Monthly.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public QrsScheduleFrequency Frequency { get; set; }

    /// <summary>The time of day of the first run, in the schedule's time zone ("02:30"); midnight when left out.</summary>
    [Parameter]
    public TimeSpan At { get; set; }

    /// <summary>Every how many minutes, hours, days or weeks (Minute, Hourly, Daily, Weekly); 1 when left out.</summary>
    [Parameter]
    [ValidateRange(1, 9999)]
    public int Interval { get; set; } = 1;

    /// <summary>The days of the week of a Weekly schedule; the day of -Start when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public DayOfWeek[]? DaysOfWeek { get; set; }

    /// <summary>The days of the month of a Monthly schedule, 1 to 31; the day of -Start when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(1, 31)]
    public int[]? DaysOfMonth { get; set; }

    /// <summary>The time zone whose clock the schedule keeps ("Europe/Paris"); this machine's when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    /// <summary>The day of the first run; today when left out.</summary>
    /// <remarks>-Start is the name admins know from the QMC; the base's Start method is never called here.</remarks>
    [Parameter]
    public new DateTime Start { get; set; } = DateTime.Today;

    /// <summary>No run after this moment; never ends when left out.</summary>
    [Parameter]
    public DateTime? End { get; set; }

    /// <summary>How the schedule meets daylight saving time, as QRS models it: it keeps its wall-clock time (the default), or a fixed offset all year.</summary>
    [Parameter]
    public SchemaEventDaylightSavingTime DaylightSaving { get; set; } = SchemaEventDaylightSavingTime.ObserveDaylightSavingTime;

    /// <summary>The schedule's name; the frequency and time when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        (TimeZoneInfo zone, string zoneId) = QrsTaskSchedules.ResolveTimeZone(TimeZone);
        string name = Name ?? $"{Frequency} at {At:hh\\:mm}";
        SchemaEvent schedule = QrsTaskSchedules.Build(name, Frequency, At, Interval, DaysOfWeek, DaysOfMonth, zone, zoneId, Start, End, DaylightSaving);
        if (Task is null)
        {
            PostObject(schedule);
            return;
        }

        foreach (TaskIdentity identity in Task)
        {
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                if (!await ShouldProcessAsync($"the schedule '{name}' ({QrsTaskSchedules.Describe(schedule)}) of the task {QrsIdentityResolver.Describe(task)}", "Create").ConfigureAwait(false))
                {
                    continue;
                }

                SchemaEvent own = QrsTaskSchedules.Unbound(schedule, name);
                QrsTaskTriggers.Point(own, task);
                QrsEntity created = await client.CreateAsync(QrsEntityFamilies.OfType(typeof(SchemaEvent))!, own, cancellation).ConfigureAwait(false);
                PostObject(await QrsTaskTrigger.GetAsync(client, created, task, cancellation).ConfigureAwait(false));
            }
        }
    }
}

/// <summary>Makes a task start when other tasks succeed or fail (a task event).</summary>
[Cmdlet(VerbsCommon.New, "QrsTaskTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(QrsTaskTrigger))]
public sealed class NewQrsTaskTriggerCommand : QrsChangeCmdlet
{
    /// <summary>The task the trigger starts.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity Task { get; set; } = null!;

    /// <summary>Starts the task when all of these tasks have succeeded.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    public TaskIdentity[]? OnSuccessOf { get; set; }

    /// <summary>Starts the task when all of these tasks have failed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    public TaskIdentity[]? OnFailureOf { get; set; }

    /// <summary>QRS's time constraint: the other tasks must all have ended so within this time of each other; 6 hours when left out.</summary>
    [Parameter]
    public TimeSpan Within { get; set; } = QrsTaskTriggers.DefaultWithin;

    /// <summary>The trigger's name; "Trigger of &lt;task&gt;" when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        TaskIdentity identity = Task;
        TaskIdentity[] onSuccess = OnSuccessOf ?? Array.Empty<TaskIdentity>();
        TaskIdentity[] onFailure = OnFailureOf ?? Array.Empty<TaskIdentity>();
        TimeSpan within = Within;
        string? name = Name;
        if (onSuccess.Length + onFailure.Length == 0)
        {
            throw new QrsCommandException("QrsTaskTriggerEmpty", ErrorCategory.InvalidArgument, "New-QrsTaskTrigger was given no task to follow.", identity,
                "Give -OnSuccessOf, -OnFailureOf or both.");
        }

        QrsClient client = ConnectionFor(identity).Client;
        IReadOnlyList<(IQrsEntity Task, QrsTaskOutcome Outcome)> rules = await QrsTaskTriggers.ResolveRulesAsync(client, onSuccess, onFailure, cancellation).ConfigureAwait(false);

        IQrsEntity task = await QrsIdentityResolver.ResolveOneAsync(client, identity, cancellation).ConfigureAwait(false);
        string triggerName = name ?? $"Trigger of {(task as IQrsNamedEntity)?.Name}";
        CompositeEvent taskEvent = QrsTaskTriggers.TaskEvent(triggerName, rules, within, task);
        if (await ShouldProcessAsync($"the trigger '{triggerName}' starting the task {QrsIdentityResolver.Describe(task)} on {QrsTaskTriggers.DescribeRules(rules)}", "Create").ConfigureAwait(false))
        {
            QrsEntity created = await client.CreateAsync(QrsEntityFamilies.OfType(typeof(CompositeEvent))!, taskEvent, cancellation).ConfigureAwait(false);
            PostObject(await QrsTaskTrigger.GetAsync(client, created, task, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>What Enable-, Disable- and Remove-QrsTaskTrigger share: triggers from the pipeline, or a task's triggers by name.</summary>
public abstract class QrsTaskTriggerChangeCmdlet : QrsChangeCmdlet
{
    private protected const string TriggerSet = "Trigger";
    private protected const string TaskSet = "Task";

    /// <summary>Triggers from Get-QrsTaskTrigger.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TriggerSet)]
    public QrsTaskTrigger[] InputObject { get; set; } = null!;

    /// <summary>The task whose triggers to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity Task { get; set; } = null!;

    /// <summary>Only the task's triggers with these names; * and ? are wildcards. Every trigger of the task when left out.</summary>
    [Parameter(Position = 1, ParameterSetName = TaskSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    private protected abstract string Action { get; }

    private protected abstract Task ChangeAsync(QrsClient client, QrsTaskTrigger trigger, CancellationToken cancellation);

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        var triggers = new List<(QrsClient Client, QrsTaskTrigger Trigger)>();
        if (ParameterSetName == TriggerSet)
        {
            triggers.AddRange(InputObject.Select(t => (ConnectionFor(t.Trigger).Client, t)));
        }
        else
        {
            TaskIdentity identity = Task;
            QrsNamePattern[] names = (Name ?? Array.Empty<string>()).Select(n => new QrsNamePattern(n)).ToArray();
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                triggers.AddRange((await QrsTaskTrigger.ListAsync(client, task, cancellation).ConfigureAwait(false))
                    .Where(t => names.Length == 0 || names.Any(n => n.IsMatch(t.Name)))
                    .Select(t => (client, t)));
            }
        }

        foreach (var (client, trigger) in triggers)
        {
            if (!await ShouldProcessAsync($"the {(trigger.Kind == "Schedule" ? "schedule" : "task event")} '{trigger.Name}' ({trigger.Description}) of the task '{trigger.TaskName}'", Action).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await ChangeAsync(client, trigger, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(trigger).ToErrorRecord());
            }
        }
    }
}

/// <summary>What Enable- and Disable-QrsTaskTrigger share: one switch, and -PassThru.</summary>
public abstract class QrsTaskTriggerSwitchCmdlet : QrsTaskTriggerChangeCmdlet
{
    /// <summary>Writes the changed triggers to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected abstract bool Enable { get; }

    private protected override string Action => Enable ? "Enable" : "Disable";

    private protected override Task ChangeAsync(QrsClient client, QrsTaskTrigger trigger, CancellationToken cancellation) =>
        SetEnabledAsync(client, trigger, Enable, PassThru.IsPresent, cancellation);

    /// <summary>Turns a trigger on or off: the whole event read again, changed, and put back.</summary>
    private async Task SetEnabledAsync(QrsClient client, QrsTaskTrigger trigger, bool enabled, bool passThru, CancellationToken cancellation)
    {
        QrsEntity current = await client.GetAsync(trigger.Family, trigger.Id, cancellation: cancellation).ConfigureAwait(false);
        switch (current)
        {
            case SchemaEvent schedule:
                schedule.Enabled = enabled;
                break;
            case CompositeEvent taskEvent:
                taskEvent.Enabled = enabled;
                break;
        }

        QrsEntity saved = await client.UpdateAsync(trigger.Family, trigger.Id, current, cancellation).ConfigureAwait(false);
        if (passThru)
        {
            PostObject(await QrsTaskTrigger.GetAsync(client, saved, trigger, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Turns task triggers on.</summary>
[Cmdlet(VerbsLifecycle.Enable, "QrsTaskTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TriggerSet)]
[OutputType(typeof(QrsTaskTrigger))]
public sealed class EnableQrsTaskTriggerCommand : QrsTaskTriggerSwitchCmdlet
{
    private protected override bool Enable => true;
}

/// <summary>Turns task triggers off, keeping them.</summary>
[Cmdlet(VerbsLifecycle.Disable, "QrsTaskTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TriggerSet)]
[OutputType(typeof(QrsTaskTrigger))]
public sealed class DisableQrsTaskTriggerCommand : QrsTaskTriggerSwitchCmdlet
{
    private protected override bool Enable => false;
}

/// <summary>Deletes task triggers. ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsTaskTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TriggerSet)]
[OutputType(typeof(void))]
public sealed class RemoveQrsTaskTriggerCommand : QrsTaskTriggerChangeCmdlet
{
    private protected override string Action => "Remove";

    private protected override Task ChangeAsync(QrsClient client, QrsTaskTrigger trigger, CancellationToken cancellation) =>
        client.DeleteAsync(trigger.Family, trigger.Id, cancellation);
}

/// <summary>Shows what triggers what: task chains as trees, with cycles found and named.</summary>
[Cmdlet(VerbsCommon.Get, "QrsTaskChain")]
[OutputType(typeof(QrsTaskChainLink))]
public sealed class GetQrsTaskChainCommand : QrsConnectedCmdlet
{
    /// <summary>Only the chains these tasks take part in; every chain of the site when left out.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    public TaskIdentity[]? Task { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsClient client = ConnectionFor(Task?.FirstOrDefault()).Client;
        List<Guid>? through = null;
        if (Task is not null)
        {
            through = new List<Guid>();
            foreach (TaskIdentity identity in Task)
            {
                await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
                {
                    through.Add(task.Id!.Value);
                }
            }
        }

        var names = new Dictionary<Guid, string>();
        await foreach (IQrsEntity task in QrsTaskKinds.CandidatesAsync(client, new QrsQuery(), cancellation).ConfigureAwait(false))
        {
            names[task.Id!.Value] = (task as IQrsNamedEntity)?.Name ?? task.Id.ToString()!;
        }

        var taskEvents = new List<CompositeEvent>();
        await foreach (CompositeEvent taskEvent in client.ListAsync<CompositeEvent>(cancellation: cancellation).ConfigureAwait(false))
        {
            taskEvents.Add(taskEvent);
        }

        var chain = new QrsTaskChain(taskEvents, names);
        foreach (QrsTaskChainLink link in chain.Trees(through))
        {
            PostObject(link);
        }

        foreach (string cycle in chain.Cycles)
        {
            PostWarning($"The task chain has a cycle: {cycle}. While its tasks succeed, each run starts the next, without end.");
        }
    }
}
