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

/// <summary>Creates a reload task for an app, with its schedules and task-event triggers, in one call.</summary>
[Cmdlet(VerbsCommon.New, "QrsReloadTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ReloadTask))]
public sealed class NewQrsReloadTaskCommand : QrsChangeCmdlet
{
    /// <summary>The app to reload; a pattern gives each app it matches a task of its own.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    public AppIdentity App { get; set; } = null!;

    /// <summary>The task's name; "Reload &lt;app name&gt;" when left out.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Schedules from New-QrsTaskSchedule (without -Task).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SchemaEvent[]? Schedule { get; set; }

    /// <summary>Starts the new task when all of these tasks have succeeded.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    public TaskIdentity[]? OnSuccessOf { get; set; }

    /// <summary>Starts the new task when all of these tasks have failed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    [ValidateNotNullOrEmpty]
    public TaskIdentity[]? OnFailureOf { get; set; }

    /// <summary>Minutes a run may take before the scheduler aborts it (QRS's taskSessionTimeout); 1440 when left out.</summary>
    [Parameter]
    [ValidateRange(1, 525600)]
    public int TimeoutMinutes { get; set; } = 1440;

    /// <summary>How many times the scheduler retries a failed run; 0 when left out.</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        AppIdentity identity = App;
        string? name = Name;
        SchemaEvent[] schedules = Schedule ?? Array.Empty<SchemaEvent>();
        TaskIdentity[] onSuccess = OnSuccessOf ?? Array.Empty<TaskIdentity>();
        TaskIdentity[] onFailure = OnFailureOf ?? Array.Empty<TaskIdentity>();
        int timeout = TimeoutMinutes;
        int retries = MaxRetries;
        QrsClient client = ConnectionFor(identity).Client;
        IReadOnlyList<(IQrsEntity Task, QrsTaskOutcome Outcome)> rules = await QrsTaskTriggers.ResolveRulesAsync(client, onSuccess, onFailure, cancellation).ConfigureAwait(false);

        await foreach (IQrsEntity app in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            string taskName = name ?? $"Reload {(app as IQrsNamedEntity)?.Name}";
            string triggers = string.Join(", ", new[]
            {
                schedules.Length == 0 ? null : $"{schedules.Length} schedule(s)",
                rules.Count == 0 ? null : "a trigger on " + QrsTaskTriggers.DescribeRules(rules),
            }.Where(t => t is not null));
            if (!await ShouldProcessAsync($"the reload task '{taskName}' of the app {QrsIdentityResolver.Describe(app)}" + (triggers.Length == 0 ? string.Empty : " with " + triggers), "Create").ConfigureAwait(false))
            {
                continue;
            }

            var bundle = new Dictionary<string, object?>
            {
                ["task"] = new ReloadTask
                {
                    Name = taskName,
                    App = new AppCondensed { Id = app.Id },
                    TaskType = ReloadTaskTaskType.Reload,
                    Enabled = true,
                    TaskSessionTimeout = timeout,
                    MaxRetries = retries,
                    IsManuallyTriggered = false,
                    IsPartialReload = false,
                },
                ["schemaEvents"] = schedules.Select(s => QrsTaskSchedules.Unbound(s, taskName)).ToList(),
                ["compositeEvents"] = rules.Count == 0
                    ? new List<CompositeEvent>()
                    : new List<CompositeEvent> { QrsTaskTriggers.TaskEvent($"Trigger of {taskName}", rules, QrsTaskTriggers.DefaultWithin, null) },
            };
            PostObject(await client.CreateReloadTaskAsync(bundle, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Changes a reload task's name, whether it is enabled, its timeout or its retries.</summary>
[Cmdlet(VerbsCommon.Set, "QrsReloadTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReloadTask))]
public sealed class SetQrsReloadTaskCommand : QrsChangeCmdlet
{
    /// <summary>The reload tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ReloadTask>))]
    public ReloadTaskIdentity Task { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Enables the task (-Enabled) or disables it (-Enabled:$false).</summary>
    [Parameter]
    public SwitchParameter Enabled { get; set; }

    /// <summary>Minutes a run may take before the scheduler aborts it.</summary>
    [Parameter]
    [ValidateRange(1, 525600)]
    public int? TimeoutMinutes { get; set; }

    /// <summary>How many times the scheduler retries a failed run.</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int? MaxRetries { get; set; }

    /// <summary>Writes the changed task to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        ReloadTaskIdentity identity = Task;
        string? name = Name;
        bool? enabled = MyInvocation.BoundParameters.ContainsKey(nameof(Enabled)) ? Enabled.IsPresent : null;
        int? timeout = TimeoutMinutes;
        int? retries = MaxRetries;
        bool passThru = PassThru.IsPresent;
        string?[] changes =
        {
            name is null ? null : $"name to '{name}'",
            enabled is null ? null : enabled.Value ? "enable" : "disable",
            timeout is null ? null : $"timeout to {timeout} minutes",
            retries is null ? null : $"retries to {retries}",
        };
        await UpdateEachAsync(identity, changes, "-Name, -Enabled, -TimeoutMinutes or -MaxRetries", task =>
        {
            task.Name = name ?? task.Name;
            task.Enabled = enabled ?? task.Enabled;
            task.TaskSessionTimeout = timeout ?? task.TaskSessionTimeout;
            task.MaxRetries = retries ?? task.MaxRetries;
        }, passThru, cancellation).ConfigureAwait(false);
    }
}

/// <summary>Deletes tasks of any kind with their schedules and task-event triggers. ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Task")]
[OutputType(typeof(void))]
public sealed class RemoveQrsTaskCommand : QrsBulkRemoveCmdlet
{
    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Task")]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == FilterSet)
        {
            // QRS removes a task's triggers with it.
            await RemoveMatchingAsync(QrsTaskKinds.All.ToArray(), "task", cancellation).ConfigureAwait(false);
            return;
        }

        foreach (TaskIdentity identity in Task)
        {
            await ForEachAsync(identity, "Remove, with its triggers", async (client, task) =>
            {
                foreach (QrsTaskTrigger trigger in await QrsTaskTrigger.ListAsync(client, task, cancellation).ConfigureAwait(false))
                {
                    await client.DeleteAsync(trigger.Family, trigger.Id, cancellation).ConfigureAwait(false);
                }

                await client.DeleteAsync(QrsEntityFamily.Of(task), task.Id!.Value, cancellation).ConfigureAwait(false);
            }, cancellation).ConfigureAwait(false);
        }
    }
}
