using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Tasks;

/// <summary>
/// Waits for a run of a task to end, as QRS shows it: the execution session while it lasts, the execution result
/// for its status. Polls soon at first and then less often (a reload of hours is not asked after every second), and
/// ends only at a finished status (<see cref="QrsTaskStatus.IsFinished"/>), never at AbortInitiated or Aborting.
/// </summary>
public sealed class QrsTaskWaiter
{
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);
    private const double Backoff = 1.5;

    private readonly QrsClient _client;

    public QrsTaskWaiter(QrsClient client)
    {
        _client = client;
    }

    /// <summary>The poll intervals, each <see cref="Backoff"/> times the one before, up to <see cref="LongestPoll"/>.</summary>
    public static TimeSpan NextPoll(TimeSpan previous) =>
        TimeSpan.FromMilliseconds(Math.Min(LongestPoll.TotalMilliseconds, previous.TotalMilliseconds * Backoff));

    /// <summary>
    /// Waits for the run of <paramref name="taskName"/> whose execution session is <paramref name="executionId"/>
    /// (or whose result is <paramref name="resultId"/>); reports each status on the way; a run still going after
    /// <paramref name="timeout"/> is QrsTaskWaitTimeout, and the task goes on.
    /// </summary>
    public async Task<QrsTaskExecution> WaitAsync(string? taskName, Guid? executionId, Guid? resultId, TimeSpan? timeout,
        IProgress<(QrsTaskExecution Execution, TimeSpan Elapsed)>? progress, CancellationToken cancellation)
    {
        DateTime began = DateTime.UtcNow;
        TimeSpan interval = FirstPoll;
        while (true)
        {
            ExecutionResult result = await PollAsync(executionId, resultId, cancellation).ConfigureAwait(false)
                ?? throw new QrsCommandException("QrsTaskExecutionNotFound", ErrorCategory.ObjectNotFound,
                    executionId == Guid.Empty
                        ? $"The execution id {executionId} names no run: {_client.Connection.ComputerName} answers it when the task it was asked to start is already running."
                        : $"There is no run with the execution id {executionId} on {_client.Connection.ComputerName}.", executionId,
                    "Get-QrsTaskExecution lists a task's runs with their execution ids.");
            resultId = result.Id;
            string? name = taskName ?? await TaskNameAsync(result.TaskID, cancellation).ConfigureAwait(false);
            taskName = name;
            var execution = QrsTaskExecution.From(result, name);
            if (execution.IsFinished)
            {
                return execution;
            }

            TimeSpan elapsed = DateTime.UtcNow - began;
            progress?.Report((execution, elapsed));
            if (timeout is TimeSpan limit && elapsed >= limit)
            {
                throw new QrsCommandException("QrsTaskWaitTimeout", ErrorCategory.OperationTimeout,
                    $"The task '{name}' is still running ({execution.Status}) after the wait of {limit:hh\\:mm\\:ss}; the wait ended, the task goes on.",
                    execution, $"Wait-QrsTask -ExecutionId {execution.ExecutionId ?? executionId} waits for it again; Stop-QrsTask stops it.");
            }

            TimeSpan pause = timeout is TimeSpan until && until - elapsed < interval ? until - elapsed : interval;
            await Task.Delay(pause < TimeSpan.Zero ? TimeSpan.Zero : pause, cancellation).ConfigureAwait(false);
            interval = NextPoll(interval);
        }
    }

    /// <summary>
    /// The run's result now: by its id once known; before that through the session (whose result it names), and,
    /// once the session is gone, by the executionID QRS gives the result.
    /// </summary>
    private async Task<ExecutionResult?> PollAsync(Guid? executionId, Guid? resultId, CancellationToken cancellation)
    {
        if (resultId is null && executionId is Guid session)
        {
            resultId = (await _client.FindExecutionSessionAsync(session, cancellation).ConfigureAwait(false))?.ExecutionResult?.Id;
        }

        return resultId is Guid id
            ? await _client.GetAsync<ExecutionResult>(id, cancellation: cancellation).ConfigureAwait(false)
            : executionId is Guid execution ? await _client.FindExecutionResultAsync(execution, cancellation).ConfigureAwait(false) : null;
    }

    private async Task<string?> TaskNameAsync(Guid? taskId, CancellationToken cancellation)
    {
        if (taskId is not Guid id)
        {
            return null;
        }

        await foreach (IQrsEntity task in QrsTaskKinds.CandidatesAsync(_client, new QrsQuery($"id eq {id}"), cancellation).ConfigureAwait(false))
        {
            return (task as IQrsNamedEntity)?.Name;
        }

        return null;
    }
}
