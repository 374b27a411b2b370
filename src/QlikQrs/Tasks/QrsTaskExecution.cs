using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>What QRS's TaskExecutionStatus means for someone waiting.</summary>
public static class QrsTaskStatus
{
    /// <summary>
    /// Whether a run with this status has ended: Aborted, FinishedSuccess, FinishedFail, Skipped, Error and Reset.
    /// AbortInitiated and Aborting have not: the scheduler is still stopping the task.
    /// </summary>
    public static bool IsFinished(TaskExecutionStatus status) => status is TaskExecutionStatus.Aborted or TaskExecutionStatus.FinishedSuccess
        or TaskExecutionStatus.FinishedFail or TaskExecutionStatus.Skipped or TaskExecutionStatus.Error or TaskExecutionStatus.Reset;
}

/// <summary>One message of a run, as the QMC's task details list it.</summary>
public sealed class QrsTaskExecutionDetail
{
    internal QrsTaskExecutionDetail(DateTime? time, string type, string message)
    {
        Time = time;
        Type = type;
        Message = message;
    }

    /// <summary>When the scheduler wrote it, in local time.</summary>
    public DateTime? Time { get; }

    /// <summary>Error, Warning or Information.</summary>
    public string Type { get; }

    public string Message { get; }

    public override string ToString() => $"{Time:yyyy-MM-dd HH:mm:ss} {Message}";
}

/// <summary>One run of a task: how it went (status by name), when, for how long, on which node, and its messages.</summary>
public sealed class QrsTaskExecution
{
    private QrsTaskExecution(QrsConnection? connection, Guid? taskId, string? taskName, Guid? executionId, Guid? resultId, TaskExecutionStatus status,
        QrsDateTime? start, QrsDateTime? stop, int? durationMilliseconds, string? node, bool scriptLog, IEnumerable<ExecutionResultDetailCondensed>? details)
    {
        Connection = connection;
        TaskId = taskId;
        TaskName = taskName;
        ExecutionId = executionId;
        ResultId = resultId;
        Status = status;
        StartTime = Local(start);
        StopTime = Local(stop);
        Duration = durationMilliseconds is int ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : StopTime - StartTime;
        ExecutingNode = string.IsNullOrEmpty(node) ? null : node;
        ScriptLogAvailable = scriptLog;
        Details = (details ?? Enumerable.Empty<ExecutionResultDetailCondensed>())
            .Select(d => new QrsTaskExecutionDetail(Local(d.DetailCreatedDate), d.DetailsType?.ToString() ?? string.Empty, d.Message ?? string.Empty))
            .OrderBy(d => d.Time)
            .ToArray();
    }

    public string? TaskName { get; }

    public Guid? TaskId { get; }

    public TaskExecutionStatus Status { get; }

    /// <summary>When the run started, in local time; null when it has not.</summary>
    public DateTime? StartTime { get; }

    /// <summary>When the run ended, in local time; null while it runs.</summary>
    public DateTime? StopTime { get; }

    public TimeSpan? Duration { get; }

    /// <summary>The scheduler node that ran the task.</summary>
    public string? ExecutingNode { get; }

    public IReadOnlyList<QrsTaskExecutionDetail> Details { get; }

    /// <summary>The run's execution session id (the result's executionID): what Wait-QrsTask -ExecutionId takes.</summary>
    public Guid? ExecutionId { get; }

    /// <summary>The id of the run's execution result.</summary>
    public Guid? ResultId { get; }

    public bool ScriptLogAvailable { get; }

    /// <summary>Whether the run has ended (see <see cref="QrsTaskStatus.IsFinished"/>).</summary>
    public bool IsFinished => QrsTaskStatus.IsFinished(Status);

    public bool Succeeded => Status == TaskExecutionStatus.FinishedSuccess;

    [Hidden]
    public QrsConnection? Connection { get; }

    public static QrsTaskExecution From(ExecutionResult result, string? taskName) =>
        new(result.Connection, result.TaskID, taskName, result.ExecutionID, result.Id, result.Status ?? TaskExecutionStatus.NeverStarted,
            result.StartTime, result.StopTime, result.Duration, result.ExecutingNodeName, result.ScriptLogAvailable == true, result.Details);

    /// <summary>A task's last run as its operational part holds it (no execution id there).</summary>
    public static QrsTaskExecution From(ExecutionResultCondensed result, Guid? taskId, string? taskName) =>
        new(result.Connection, taskId, taskName, null, result.Id, result.Status ?? TaskExecutionStatus.NeverStarted,
            result.StartTime, result.StopTime, result.Duration, result.ExecutingNodeName, result.ScriptLogAvailable == true, result.Details);

    public override string ToString() => $"{TaskName}: {Status}";

    private static DateTime? Local(QrsDateTime? date) => date is QrsDateTime { IsNever: false } known ? known.LocalTime : null;
}
