using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Scheduling;

/// <summary>
/// Runs tasks the way the scheduler is seen through QRS. A run is an execution session that exists while the task
/// runs, and an execution result whose executionID is the session's id: Triggered, Started, then FinishedSuccess or
/// FinishedFail (Retry between failed attempts while the task has retries left), or AbortInitiated, Aborting and
/// Aborted when it is stopped or runs past its session timeout. Each step adds a detail with its time; every run
/// writes a script log; the task's operational part holds its last result.
/// </summary>
public sealed class TaskRunner
{
    private static readonly string[] s_taskFamilies = { "reloadtask", "externalprogramtask", "usersynctask" };

    /// <summary>How long each abort step lasts, so that a client polling the run can see it go through them.</summary>
    private static readonly TimeSpan AbortStep = TimeSpan.FromMilliseconds(150);

    private readonly EntityStore _store;
    private readonly SandboxContent _content;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<Guid, TaskArrangement> _arrangements = new();
    private readonly ConcurrentDictionary<Guid, Run> _running = new();

    public TaskRunner(EntityStore store, SandboxContent content, CancellationToken stopping)
    {
        _store = store;
        _content = content;
        _stopping = stopping;
    }

    /// <summary>A run ended: the task, and the status it ended in.</summary>
    public event Action<Guid, TaskExecutionStatus>? Finished;

    /// <summary>How long a task runs before it finishes, unless it was arranged otherwise.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    private EntityFamily Results => _store.Schema.Family("executionresult")!;

    private EntityFamily Details => _store.Schema.Family("executionresult/detail")!;

    private EntityFamily Sessions => _store.Schema.Family("executionsession")!;

    /// <summary>Makes the next runs of <paramref name="taskId"/> succeed or fail.</summary>
    public void SetOutcome(Guid taskId, bool succeed) => Arrange(taskId, new TaskArrangement(succeed, null));

    /// <summary>Sets how the next runs of a task end and how long they take; what the arrangement leaves out stays as it was.</summary>
    public void Arrange(Guid taskId, TaskArrangement arrangement) =>
        _arrangements.AddOrUpdate(taskId, arrangement, (_, old) => new TaskArrangement(arrangement.Succeed ?? old.Succeed, arrangement.Duration ?? old.Duration));

    public static bool IsTaskFamily(EntityFamily family) => s_taskFamilies.Contains(family.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The task families: reload, external program and user sync tasks.</summary>
    public EntityFamily[] TaskFamilies => s_taskFamilies.Select(_store.Schema.Family).OfType<EntityFamily>().ToArray();

    /// <summary>The task of that id in any task family, or null.</summary>
    public (EntityFamily Family, StoredEntity Task)? FindTask(Guid id) =>
        TaskFamilies.Select(f => (f, _store.Find(f, id)))
            .Where(p => p.Item2 is not null)
            .Select(p => ((EntityFamily, StoredEntity)?)(p.f, p.Item2!))
            .FirstOrDefault();

    public (EntityFamily Family, StoredEntity Task)? FindTaskByName(string name) =>
        TaskFamilies.SelectMany(f => _store.List(f).Select(t => (f, t)))
            .Where(p => string.Equals(p.t.Value.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase))
            .Select(p => ((EntityFamily, StoredEntity)?)(p.f, p.t))
            .FirstOrDefault();

    public bool IsRunning(Guid taskId) => _running.ContainsKey(taskId);

    /// <summary>
    /// Starts a run of <paramref name="task"/> for <paramref name="user"/> (as the session records who started it);
    /// <paramref name="trigger"/> says what started it in the run's first detail. Returns the session id, or
    /// Guid.Empty when the task is already running.
    /// </summary>
    public Guid Start(EntityFamily family, StoredEntity task, string user, string trigger)
    {
        var run = new Run(family, task, Guid.NewGuid(), Guid.NewGuid(), _arrangements.TryGetValue(task.Id, out TaskArrangement? arranged) ? arranged : new TaskArrangement(null, null));
        run.AppName = run.AppId is Guid appId && _store.Find(_store.Schema.Family("app")!, appId) is StoredEntity app ? app.Value.GetProperty("name").GetString() : null;
        if (!_running.TryAdd(task.Id, run))
        {
            return Guid.Empty;
        }

        DateTime triggered = DateTime.UtcNow;
        var (nodeId, nodeName) = ExecutingNode();
        _store.Seed(Results, run.ResultId, new JsonObject
        {
            ["taskID"] = task.Id.ToString(),
            ["executionID"] = run.SessionId.ToString(),
            ["appID"] = run.AppId?.ToString() ?? Guid.Empty.ToString(),
            ["executingNodeID"] = nodeId.ToString(),
            ["executingNodeName"] = nodeName,
            ["status"] = (long)TaskExecutionStatus.Triggered,
        }, triggered);
        var session = new JsonObject
        {
            ["executionResult"] = Reference(run.ResultId),
            ["user"] = user,
            ["app"] = run.AppId is Guid appReference ? Reference(appReference) : null,
        };
        session[SessionProperty(family)] = Reference(task.Id);
        _store.Seed(Sessions, run.SessionId, session, triggered);
        AddDetail(run, $"{trigger}. Changing task state from NeverStarted to Triggered.");
        if (_store.OperationalOf(_store.Schema.Type(family.Entity), task.Value) is (EntityFamily operational, Guid operationalId) && _store.Find(operational, operationalId) is not null)
        {
            _store.Patch(operational, operationalId, o => o["lastExecutionResult"] = Reference(run.ResultId));
        }

        _ = RunAsync(run);
        return run.SessionId;
    }

    /// <summary>Stops the task's current run, if it has one; returns whether it had.</summary>
    public bool Stop(Guid taskId, string by)
    {
        if (!_running.TryGetValue(taskId, out Run? run))
        {
            return false;
        }

        run.AbortReason = AbortReason.Manual;
        run.AbortedBy = by;
        run.Abort.Cancel();
        return true;
    }

    private async Task RunAsync(Run run)
    {
        TaskExecutionStatus final = TaskExecutionStatus.Error;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(run.Abort.Token, _stopping);
        TimeSpan duration = run.Arrangement.Duration ?? Duration;
        bool succeed = run.Arrangement.Succeed ?? true;
        TimeSpan timeout = TimeSpan.FromMinutes(run.Task.Value.TryGetProperty("taskSessionTimeout", out JsonElement minutes) && minutes.TryGetInt32(out int m) && m > 0 ? m : int.MaxValue / 60_000);
        int maxRetries = run.Task.Value.TryGetProperty("maxRetries", out JsonElement retries) && retries.TryGetInt32(out int r) ? r : 0;
        var log = new ScriptLog(run.TaskName, run.AppName);
        try
        {
            TimeSpan pending = duration / 4;
            await Task.Delay(pending, cancellation.Token);
            DateTime started = DateTime.UtcNow;
            run.StartTime = started;
            SetStatus(run, TaskExecutionStatus.Started, r => r["startTime"] = QrsDate.Format(started));
            log.Started(started);
            for (int attempt = 0; ; attempt++)
            {
                TimeSpan remaining = duration - pending;
                TimeSpan left = timeout - (DateTime.UtcNow - started);
                if (remaining > left)
                {
                    await Task.Delay(left, cancellation.Token);
                    run.AbortReason = AbortReason.Timeout;
                    await run.Abort.CancelAsync();
                    cancellation.Token.ThrowIfCancellationRequested();
                }

                await Task.Delay(remaining, cancellation.Token);
                log.Reloaded(succeed);
                if (succeed || attempt >= maxRetries)
                {
                    break;
                }

                pending = TimeSpan.Zero;
                _store.Patch(Sessions, run.SessionId, s => s["retries"] = attempt + 1);
                SetStatus(run, TaskExecutionStatus.Retry, null, $"The reload failed; retrying ({attempt + 1} of {maxRetries}).", DetailsType.Warning);
            }

            final = succeed ? TaskExecutionStatus.FinishedSuccess : TaskExecutionStatus.FinishedFail;
            await FinishAsync(run, final, log, succeed ? null : "The reload failed: " + ScriptLog.FailureReason);
            if (succeed && run.AppId is Guid appId && _store.Find(_store.Schema.Family("app")!, appId) is not null)
            {
                _store.Patch(_store.Schema.Family("app")!, appId, a => a["lastReloadTime"] = QrsDate.Now());
            }
        }
        catch (OperationCanceledException) when (run.Abort.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            final = await AbortAsync(run, log);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            _store.Delete(Sessions, run.SessionId);
            _running.TryRemove(run.Task.Id, out _);
        }

        Finished?.Invoke(run.Task.Id, final);
    }

    private async Task<TaskExecutionStatus> AbortAsync(Run run, ScriptLog log)
    {
        string why = run.AbortReason == AbortReason.Timeout
            ? "The task ran longer than its session timeout and is aborted."
            : $"Abort requested by {run.AbortedBy}.";
        _store.Patch(Sessions, run.SessionId, s =>
        {
            s["abortReason"] = (long)run.AbortReason;
            s["abortAt"] = QrsDate.Now();
        });
        SetStatus(run, TaskExecutionStatus.AbortInitiated, null, why);
        await Task.Delay(AbortStep, _stopping);
        SetStatus(run, TaskExecutionStatus.Aborting, null);
        await Task.Delay(AbortStep, _stopping);
        log.Aborted(why);
        await FinishAsync(run, TaskExecutionStatus.Aborted, log, null);
        return TaskExecutionStatus.Aborted;
    }

    private async Task FinishAsync(Run run, TaskExecutionStatus status, ScriptLog log, string? error)
    {
        DateTime stopped = DateTime.UtcNow;
        Guid logId = Guid.NewGuid();
        string path = _content.LogFile(logId);
        long size = await log.WriteAsync(path, stopped, _stopping);
        if (error is not null)
        {
            AddDetail(run, error, DetailsType.Error);
        }

        SetStatus(run, status, r =>
        {
            DateTime started = run.StartTime ?? stopped;
            r["startTime"] = QrsDate.Format(started);
            r["stopTime"] = QrsDate.Format(stopped);
            r["duration"] = (long)(stopped - started).TotalMilliseconds;
            r["fileReferenceID"] = logId.ToString();
            r["scriptLogAvailable"] = true;
            r["scriptLogLocation"] = path;
            r["scriptLogSize"] = size;
        });
    }

    private void SetStatus(Run run, TaskExecutionStatus status, Action<JsonObject>? change, string? message = null, DetailsType type = DetailsType.Information)
    {
        if (message is not null)
        {
            AddDetail(run, message, type);
        }

        AddDetail(run, $"Changing task state from {run.Status} to {status}.");
        run.Status = status;
        _store.Patch(Results, run.ResultId, r =>
        {
            r["status"] = (long)status;
            change?.Invoke(r);
        });
    }

    private void AddDetail(Run run, string message, DetailsType type = DetailsType.Information)
    {
        Guid id = Guid.NewGuid();
        DateTime now = DateTime.UtcNow;
        _store.Seed(Details, id, new JsonObject { ["detailsType"] = (long)type, ["message"] = message, ["detailCreatedDate"] = QrsDate.Format(now) }, now);
        _store.Patch(Results, run.ResultId, r =>
        {
            JsonArray details = r["details"] as JsonArray ?? new JsonArray();
            details.Add(Reference(id));
            r["details"] = details;
        });
    }

    private (Guid Id, string Name) ExecutingNode()
    {
        StoredEntity? node = _store.List(_store.Schema.Family("servernodeconfiguration")!)
            .FirstOrDefault(n => n.Value.TryGetProperty("isCentral", out JsonElement central) && central.ValueKind == JsonValueKind.True);
        return node is null ? (Guid.Empty, "sandbox") : (node.Id, node.Value.GetProperty("hostName").GetString() ?? "sandbox");
    }

    private static string SessionProperty(EntityFamily family) => family.Name switch
    {
        "reloadtask" => "reloadTask",
        "usersynctask" => "userSyncTask",
        _ => "externalProgramTask",
    };

    private static JsonObject Reference(Guid id) => new() { ["id"] = id.ToString() };

    private enum DetailsType
    {
        Error = 0,
        Warning = 1,
        Information = 2,
    }

    private enum AbortReason
    {
        Manual = 1,
        Timeout = 2,
    }

    private sealed class Run
    {
        public Run(EntityFamily family, StoredEntity task, Guid sessionId, Guid resultId, TaskArrangement arrangement)
        {
            Family = family;
            Task = task;
            SessionId = sessionId;
            ResultId = resultId;
            Arrangement = arrangement;
            TaskName = task.Value.GetProperty("name").GetString() ?? string.Empty;
            AppId = task.Value.TryGetProperty("app", out JsonElement app) && app.ValueKind == JsonValueKind.Object && Guid.TryParse(app.GetProperty("id").GetString(), out Guid id) ? id : null;
        }

        public EntityFamily Family { get; }

        public StoredEntity Task { get; }

        public Guid SessionId { get; }

        public Guid ResultId { get; }

        public TaskArrangement Arrangement { get; }

        public string TaskName { get; }

        public Guid? AppId { get; }

        public string? AppName { get; set; }

        public TaskExecutionStatus Status { get; set; } = TaskExecutionStatus.Triggered;

        public DateTime? StartTime { get; set; }

        public CancellationTokenSource Abort { get; } = new();

        public AbortReason AbortReason { get; set; }

        public string AbortedBy { get; set; } = string.Empty;
    }
}

/// <summary>How the next runs of a task end and how long they take; null leaves the sandbox's default.</summary>
public sealed record TaskArrangement(bool? Succeed, TimeSpan? Duration);

/// <summary>QRS's TaskExecutionStatus.</summary>
public enum TaskExecutionStatus
{
    NeverStarted = 0,
    Triggered = 1,
    Started = 2,
    Queued = 3,
    AbortInitiated = 4,
    Aborting = 5,
    Aborted = 6,
    FinishedSuccess = 7,
    FinishedFail = 8,
    Skipped = 9,
    Retry = 10,
    Error = 11,
    Reset = 12,
}
