using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// Runs tasks the way the scheduler is seen through QRS: an execution session that exists while the task runs, and an
/// execution result that moves Triggered, Started, then FinishedSuccess or FinishedFail after <see cref="Duration"/>.
/// </summary>
public sealed class TaskRunner
{
    private const int Triggered = 1;
    private const int Started = 2;
    private const int FinishedSuccess = 7;
    private const int FinishedFail = 8;

    private static readonly string[] s_taskFamilies = { "reloadtask", "externalprogramtask", "usersynctask" };

    private readonly EntityStore _store;
    private readonly SandboxContent _content;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<Guid, bool> _outcomes = new();
    private readonly ConcurrentDictionary<Guid, Guid> _running = new();

    public TaskRunner(EntityStore store, SandboxContent content, CancellationToken stopping)
    {
        _store = store;
        _content = content;
        _stopping = stopping;
    }

    /// <summary>How long a task runs before it finishes.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Makes the next runs of <paramref name="taskId"/> succeed or fail.</summary>
    public void SetOutcome(Guid taskId, bool succeed) => _outcomes[taskId] = succeed;

    /// <summary>The task of that id in any task family, or null.</summary>
    public (EntityFamily Family, StoredEntity Task)? FindTask(Guid id) =>
        s_taskFamilies.Select(_store.Schema.Family).OfType<EntityFamily>()
            .Select(f => (f, _store.Find(f, id)))
            .Where(p => p.Item2 is not null)
            .Select(p => ((EntityFamily, StoredEntity)?)(p.f, p.Item2!))
            .FirstOrDefault();

    public (EntityFamily Family, StoredEntity Task)? FindTaskByName(string name) =>
        s_taskFamilies.Select(_store.Schema.Family).OfType<EntityFamily>()
            .SelectMany(f => _store.List(f).Select(t => (f, t)))
            .Where(p => string.Equals(p.t.Value.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase))
            .Select(p => ((EntityFamily, StoredEntity)?)(p.f, p.t))
            .FirstOrDefault();

    /// <summary>Starts a run; returns its session id, or Guid.Empty when the task is already running.</summary>
    public Guid Start(EntityFamily family, StoredEntity task, QrsUser user)
    {
        Guid sessionId = Guid.NewGuid();
        if (!_running.TryAdd(task.Id, sessionId))
        {
            return Guid.Empty;
        }

        Guid resultId = Guid.NewGuid();
        Guid executionId = Guid.NewGuid();
        string? appId = task.Value.TryGetProperty("app", out var app) && app.ValueKind == System.Text.Json.JsonValueKind.Object ? app.GetProperty("id").GetString() : null;
        DateTime started = DateTime.UtcNow;
        EntityFamily results = _store.Schema.Family("executionresult")!;
        EntityFamily sessions = _store.Schema.Family("executionsession")!;
        _store.Seed(results, resultId, new JsonObject
        {
            ["taskID"] = task.Id.ToString(),
            ["executionID"] = executionId.ToString(),
            ["appID"] = appId ?? Guid.Empty.ToString(),
            ["executingNodeName"] = "sandbox",
            ["status"] = Triggered,
            ["startTime"] = QrsDate.Format(started),
        }, started);
        var session = new JsonObject
        {
            ["executionResult"] = new JsonObject { ["id"] = resultId.ToString() },
            ["user"] = user.ToString(),
            ["app"] = appId is null ? null : new JsonObject { ["id"] = appId },
        };
        session[family.Name == "reloadtask" ? "reloadTask" : family.Name == "usersynctask" ? "userSyncTask" : "externalProgramTask"] = new JsonObject { ["id"] = task.Id.ToString() };
        _store.Seed(sessions, sessionId, session, started);

        bool succeed = _outcomes.TryGetValue(task.Id, out bool outcome) ? outcome : true;
        string taskName = task.Value.GetProperty("name").GetString() ?? string.Empty;
        _ = RunAsync(task.Id, sessionId, resultId, appId, taskName, started, succeed);
        return sessionId;
    }

    private async Task RunAsync(Guid taskId, Guid sessionId, Guid resultId, string? appId, string taskName, DateTime started, bool succeed)
    {
        EntityFamily results = _store.Schema.Family("executionresult")!;
        EntityFamily sessions = _store.Schema.Family("executionsession")!;
        try
        {
            await Task.Delay(Duration / 2, _stopping);
            _store.Patch(results, resultId, r => r["status"] = Started);
            await Task.Delay(Duration / 2, _stopping);

            DateTime stopped = DateTime.UtcNow;
            Guid log = Guid.NewGuid();
            await File.WriteAllTextAsync(_content.LogFile(log),
                $"{QrsDate.Format(started)} Execution started.\n{QrsDate.Format(stopped)} Task '{taskName}' {(succeed ? "finished" : "failed")}.\n", _stopping);
            _store.Patch(results, resultId, r =>
            {
                r["status"] = succeed ? FinishedSuccess : FinishedFail;
                r["stopTime"] = QrsDate.Format(stopped);
                r["duration"] = (long)(stopped - started).TotalMilliseconds;
                r["fileReferenceID"] = log.ToString();
                r["scriptLogAvailable"] = true;
                r["scriptLogLocation"] = _content.LogFile(log);
            });
            if (succeed && appId is not null && Guid.TryParse(appId, out Guid app) && _store.Find(_store.Schema.Family("app")!, app) is not null)
            {
                _store.Patch(_store.Schema.Family("app")!, app, a => a["lastReloadTime"] = QrsDate.Format(stopped));
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _store.Delete(sessions, sessionId);
            _running.TryRemove(taskId, out _);
        }
    }
}
