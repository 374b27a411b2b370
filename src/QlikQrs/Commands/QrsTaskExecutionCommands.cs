using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using QlikQrs.Tasks;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>
/// Waits for task runs and reports how they ended: progress while they run, the run as output, and a QrsTaskFailed
/// error after the output when a run did not succeed, so that -ErrorAction Stop ends a script with the reason.
/// </summary>
public abstract class QrsTaskWaitCmdlet : QrsChangeCmdlet
{
    private const int LogLinesShown = 10;

    // A stop asked for on Ctrl+C must not hang the prompt on a site that does not answer.
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Seconds to wait for a run before giving up on the wait (QrsTaskWaitTimeout); the task goes on. No limit when left out.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>On Ctrl+C, stops the task too, not only the wait.</summary>
    [Parameter]
    public SwitchParameter StopTaskOnCancel { get; set; }

    /// <summary>Waits for one run and reports it; Ctrl+C ends the wait (and with -StopTaskOnCancel the task).</summary>
    private protected async Task WaitAndReportAsync(QrsClient client, Guid? taskId, string? taskName, Guid? executionId, Guid? resultId, CancellationToken cancellation)
    {
        TimeSpan? timeout = Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null;
        bool stopTask = StopTaskOnCancel.IsPresent;
        int activityId = ActivityId(taskId ?? executionId ?? resultId);
        string activity = $"Waiting for the task '{taskName ?? taskId?.ToString() ?? executionId.ToString()}'";
        var progress = new WaitProgress(record => PostProgress(record), activityId, activity);
        QrsTaskExecution execution;
        try
        {
            execution = await new QrsTaskWaiter(client).WaitAsync(taskName, executionId, resultId, timeout, progress, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && stopTask && taskId is Guid id)
        {
            using var grace = new CancellationTokenSource(s_stopGrace);
            await client.StopTaskAsync(id, grace.Token).ConfigureAwait(false);
            throw;
        }
        finally
        {
            PostProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        Report(execution, await LogTailAsync(client, execution, cancellation).ConfigureAwait(false));
    }

    /// <summary>A finished run as output, then its failure as an error.</summary>
    private protected void Report(QrsTaskExecution execution, string? logTail)
    {
        PostObject(execution);
        if (execution.Succeeded)
        {
            return;
        }

        string ended = execution.StopTime is DateTime stop ? $" at {stop:yyyy-MM-dd HH:mm:ss}" : string.Empty;
        string after = execution.Duration is TimeSpan duration ? $" after {duration:hh\\:mm\\:ss}" : string.Empty;
        string messages = logTail ?? string.Join(Environment.NewLine, execution.Details.Select(d => "  " + d));
        string message = $"The task '{execution.TaskName}' ended {execution.Status}{ended}{after}."
            + (messages.Length == 0 ? string.Empty : Environment.NewLine + (logTail is null ? "Its messages:" : "The script log ends:") + Environment.NewLine + messages);
        PostError(new QrsCommandException("QrsTaskFailed", ErrorCategory.InvalidResult, message, execution,
            $"Get-QrsTaskExecution '{execution.TaskName}' -Last 1 -ScriptLog shows the whole log.").ErrorRecord);
    }

    /// <summary>The last lines of a failed reload's script log; null when it has none or it cannot be read.</summary>
    private protected static async Task<string?> LogTailAsync(QrsClient client, QrsTaskExecution execution, CancellationToken cancellation)
    {
        if (execution.Succeeded || !execution.ScriptLogAvailable || execution.TaskId is not Guid task || execution.ResultId is not Guid result)
        {
            return null;
        }

        try
        {
            string log = await client.ReadScriptLogAsync(task, result, cancellation).ConfigureAwait(false);
            string[] lines = log.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - LogLinesShown)).Select(l => "  " + l));
        }
        catch (QrsRequestException)
        {
            return null;
        }
    }

    /// <summary>Turns each status seen into a progress record: the task, its status, and how long the wait has lasted.</summary>
    private sealed class WaitProgress(Action<ProgressRecord> post, int activityId, string activity) : IProgress<(QrsTaskExecution Execution, TimeSpan Elapsed)>
    {
        public void Report((QrsTaskExecution Execution, TimeSpan Elapsed) value) =>
            post(new ProgressRecord(activityId, activity, $"{value.Execution.Status}, {value.Elapsed:hh\\:mm\\:ss} elapsed"));
    }
}

/// <summary>Starts tasks; with -Wait, waits for their runs and outputs how each ended.</summary>
[Cmdlet(VerbsLifecycle.Start, "QrsTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsTaskExecution))]
public sealed class StartQrsTaskCommand : QrsTaskWaitCmdlet
{
    private readonly ConcurrentQueue<(QrsClient Client, IQrsEntity Task)> _toStart = new();

    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    /// <summary>Waits for the runs to end and outputs each (QlikQrs.Tasks.QrsTaskExecution); a run that fails is also a QrsTaskFailed error.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        foreach (TaskIdentity identity in Task)
        {
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                if (await ShouldProcessAsync($"the task {QrsIdentityResolver.Describe(task)}", "Start").ConfigureAwait(false))
                {
                    _toStart.Enqueue((client, task));
                }
            }
        }
    }

    /// <summary>The tasks start together once all are known: in one start/many call, or one by one to get each run's session with -Wait.</summary>
    protected override void EndProcessing()
    {
        base.EndProcessing();
        bool wait = Wait.IsPresent;
        foreach (var site in _toStart.GroupBy(t => t.Client))
        {
            Start(cancellation => wait ? StartAndWaitAsync(site.Key, site.Select(t => t.Task).ToList(), cancellation) : site.Key.StartTasksAsync(site.Select(t => t.Task.Id!.Value).ToList(), cancellation));
        }

        base.EndProcessing();
    }

    private Task StartAndWaitAsync(QrsClient client, IReadOnlyList<IQrsEntity> tasks, CancellationToken cancellation) =>
        System.Threading.Tasks.Task.WhenAll(tasks.Select(async task =>
        {
            string? name = (task as IQrsNamedEntity)?.Name;
            try
            {
                Guid? session = await client.StartTaskAsync(task.Id!.Value, cancellation).ConfigureAwait(false);
                if (session is null)
                {
                    PostError(new QrsCommandException("QrsTaskNotStarted", ErrorCategory.ResourceBusy,
                        $"QRS did not start the task {QrsIdentityResolver.Describe(task)}: it is running already, or disabled.", task,
                        "Wait-QrsTask waits for the run in progress; Get-QrsTask shows whether it is enabled.").ErrorRecord);
                    return;
                }

                await WaitAndReportAsync(client, task.Id, name, session, null, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(task).ToErrorRecord());
            }
            catch (QrsCommandException exception)
            {
                PostError(exception.ErrorRecord);
            }
        }));
}

/// <summary>Waits for a task's current run (or its last one, when none is running), or for a run by its execution id.</summary>
[Cmdlet(VerbsLifecycle.Wait, "QrsTask", DefaultParameterSetName = TaskSet)]
[OutputType(typeof(QrsTaskExecution))]
public sealed class WaitQrsTaskCommand : QrsTaskWaitCmdlet
{
    private const string TaskSet = "Task";
    private const string ExecutionSet = "Execution";

    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    /// <summary>A run's execution session id, as Start-QrsTask's output, the QMC or QRS's own start call give it.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ExecutionSet)]
    public Guid ExecutionId { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ExecutionSet)
        {
            await WaitAndReportAsync(ConnectionFor(null).Client, null, null, ExecutionId, null, cancellation).ConfigureAwait(false);
            return;
        }

        foreach (TaskIdentity identity in Task)
        {
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                string? name = (task as IQrsNamedEntity)?.Name;
                IReadOnlyList<ExecutionResult> runs = await client.ListExecutionResultsAsync(task.Id!.Value, cancellation).ConfigureAwait(false);
                ExecutionResult? run = runs.FirstOrDefault(r => !QrsTaskStatus.IsFinished(r.Status ?? TaskExecutionStatus.NeverStarted)) ?? runs.FirstOrDefault();
                if (run is null)
                {
                    PostError(new QrsCommandException("QrsTaskNeverRun", ErrorCategory.ObjectNotFound,
                        $"The task {QrsIdentityResolver.Describe(task)} is not running and has never run.", task, "Start-QrsTask -Wait starts it and waits.").ErrorRecord);
                    continue;
                }

                await WaitAndReportAsync(client, task.Id, name, run.ExecutionID, run.Id, cancellation).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>Stops tasks' runs in progress.</summary>
[Cmdlet(VerbsLifecycle.Stop, "QrsTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopQrsTaskCommand : QrsChangeCmdlet
{
    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        foreach (TaskIdentity identity in Task)
        {
            await ForEachAsync(identity, "Stop", (client, task) => client.StopTaskAsync(task.Id!.Value, cancellation), cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>Gets the runs of tasks, newest first, or their script logs as text or files.</summary>
[Cmdlet(VerbsCommon.Get, "QrsTaskExecution", DefaultParameterSetName = RunSet)]
[OutputType(typeof(QrsTaskExecution), ParameterSetName = new[] { RunSet })]
[OutputType(typeof(string), typeof(FileInfo), ParameterSetName = new[] { LogSet })]
public sealed class GetQrsTaskExecutionCommand : QrsConnectedCmdlet
{
    private const string RunSet = "Run";
    private const string LogSet = "ScriptLog";

    /// <summary>The tasks: names (wildcards allowed), ids or task objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsTaskNameCompleter))]
    public TaskIdentity[] Task { get; set; } = null!;

    /// <summary>Only the newest runs, this many per task.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>The runs' script logs (reload tasks only) as text, instead of the runs.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LogSet)]
    public SwitchParameter ScriptLog { get; set; }

    /// <summary>Saves the script logs to this file, or to this folder with a file per run; outputs the files.</summary>
    [Parameter(ParameterSetName = LogSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Overwrites a file that exists.</summary>
    [Parameter(ParameterSetName = LogSet)]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        int? last = Last;
        bool logs = ScriptLog.IsPresent;
        string? destination = OutFile is null ? null : FileSystemPaths.Resolve(SessionState, OutFile, nameof(OutFile));
        bool force = Force.IsPresent;
        foreach (TaskIdentity identity in Task)
        {
            QrsClient client = ConnectionFor(identity).Client;
            await foreach (IQrsEntity task in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                string? name = (task as IQrsNamedEntity)?.Name;
                IReadOnlyList<ExecutionResult> runs = await client.ListExecutionResultsAsync(task.Id!.Value, cancellation).ConfigureAwait(false);
                foreach (ExecutionResult run in last is int count ? runs.Take(count) : runs)
                {
                    if (!logs)
                    {
                        PostObject(QrsTaskExecution.From(run, name));
                    }
                    else if (run.ScriptLogAvailable != true || QrsEntityFamily.Of(task) != QrsTaskKinds.Reload)
                    {
                        PostError(new QrsCommandException("QrsScriptLogUnavailable", ErrorCategory.ObjectNotFound,
                            $"The run of {QrsIdentityResolver.Describe(task)} that started {QrsTaskExecution.From(run, name).StartTime:yyyy-MM-dd HH:mm:ss} has no script log.", run,
                            "Only reload tasks write script logs, once a run has ended.").ErrorRecord);
                    }
                    else if (destination is null)
                    {
                        PostObject(await client.ReadScriptLogAsync(task.Id!.Value, run.Id!.Value, cancellation).ConfigureAwait(false));
                    }
                    else
                    {
                        await SaveLogAsync(client, task, name, run, destination, force, cancellation).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private async Task SaveLogAsync(QrsClient client, IQrsEntity task, string? name, ExecutionResult run, string destination, bool force, CancellationToken cancellation)
    {
        DateTime started = QrsTaskExecution.From(run, name).StartTime ?? DateTime.Now;
        string file = Directory.Exists(destination) || destination.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
            ? Path.Combine(destination, $"{SafeFileName.For(name ?? task.Id.ToString()!)} {started:yyyy-MM-dd HHmmss}.log")
            : destination;
        if (QrsTransfer.CannotWrite(file, force) is string reason)
        {
            PostError(new QrsCommandException("QrsScriptLogPathInvalid", ErrorCategory.InvalidArgument, reason, run,
                File.Exists(file) ? "Give -Force to overwrite it, or a folder as -OutFile for a file per run." : "Give an -OutFile in a folder that exists.").ErrorRecord);
            return;
        }

        PostObject(await client.SaveScriptLogAsync(task.Id!.Value, run.Id!.Value, file, force, cancellation).ConfigureAwait(false));
    }
}
