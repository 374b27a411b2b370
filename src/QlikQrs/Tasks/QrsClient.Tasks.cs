using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs;

/// <summary>The task calls of QRS that are more than storing an entity: start, stop, executions and script logs.</summary>
public sealed partial class QrsClient
{
    /// <summary>Starts a task (POST /task/{id}/start/synchronous); returns its execution session id, or null when QRS did not start it.</summary>
    public async Task<Guid?> StartTaskAsync(Guid id, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"task/{id}/start/synchronous"), null, cancellation).ConfigureAwait(false);
        JsonElement value = await response.ReadValueAsync().ConfigureAwait(false);
        return value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out Guid session)
            ? session == Guid.Empty ? null : session
            : throw response.Unexpected(typeof(Guid), new FormatException("the value is not a session id"));
    }

    /// <summary>Starts several tasks in one call (POST /task/start/many); QRS gives no session ids for them.</summary>
    public async Task StartTasksAsync(IEnumerable<Guid> ids, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("task/start/many"), Json(IdArray(ids)), cancellation).ConfigureAwait(false);
    }

    public async Task StopTaskAsync(Guid id, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"task/{id}/stop"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>Stops several tasks in one call (POST /task/stop/many).</summary>
    public async Task StopTasksAsync(IEnumerable<Guid> ids, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("task/stop/many"), Json(IdArray(ids)), cancellation).ConfigureAwait(false);
    }

    /// <summary>The execution session of a run while it lasts; null once QRS has removed it (the run has ended).</summary>
    public async Task<ExecutionSession?> FindExecutionSessionAsync(Guid sessionId, CancellationToken cancellation = default)
    {
        try
        {
            return await GetAsync<ExecutionSession>(sessionId, cancellation: cancellation).ConfigureAwait(false);
        }
        catch (QrsRequestException exception) when (exception.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>The result of the run whose execution session had this id (its executionID), or null.</summary>
    public async Task<ExecutionResult?> FindExecutionResultAsync(Guid executionId, CancellationToken cancellation = default)
    {
        await foreach (ExecutionResult result in ListAsync<ExecutionResult>(new QrsQuery($"executionID eq {executionId}"), cancellation).ConfigureAwait(false))
        {
            return result;
        }

        return null;
    }

    /// <summary>The runs of a task, newest first.</summary>
    public async Task<IReadOnlyList<ExecutionResult>> ListExecutionResultsAsync(Guid taskId, CancellationToken cancellation = default)
    {
        var results = new List<ExecutionResult>();
        await foreach (ExecutionResult result in ListAsync<ExecutionResult>(new QrsQuery($"taskID eq {taskId}"), cancellation).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results.OrderByDescending(r => r.StartTime is QrsDateTime { IsNever: false } start ? start.Value : DateTime.MaxValue).ToList();
    }

    /// <summary>A reload task run's script log as text (GET /reloadtask/{id}/scriptlogfile, then its download path).</summary>
    public async Task<string> ReadScriptLogAsync(Guid taskId, Guid resultId, CancellationToken cancellation = default)
    {
        using QrsResponse download = await OpenScriptLogAsync(taskId, resultId, cancellation).ConfigureAwait(false);
        return await download.ReadTextAsync().ConfigureAwait(false);
    }

    /// <summary>Saves a reload task run's script log to a file, streamed, never a partial file.</summary>
    public async Task<FileInfo> SaveScriptLogAsync(Guid taskId, Guid resultId, string path, bool overwrite = false, CancellationToken cancellation = default)
    {
        using QrsResponse download = await OpenScriptLogAsync(taskId, resultId, cancellation).ConfigureAwait(false);
        return await QrsTransfer.SaveAsync(download, path, overwrite, null).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a reload task with its schedules and task-event triggers in one call (POST /reloadtask/create, QRS's
    /// task bundle), so that no task is left without the triggers it was meant to have.
    /// </summary>
    public async Task<ReloadTask> CreateReloadTaskAsync(object bundle, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("reloadtask/create"), Json(bundle), cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<ReloadTask>().ConfigureAwait(false), response);
    }

    private async Task<QrsResponse> OpenScriptLogAsync(Guid taskId, Guid resultId, CancellationToken cancellation)
    {
        string reference;
        using (QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"reloadtask/{taskId}/scriptlogfile", ("executionresultid", resultId)), null, cancellation).ConfigureAwait(false))
        {
            JsonElement value = await response.ReadValueAsync().ConfigureAwait(false);
            reference = value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw response.Unexpected(typeof(string), new FormatException("the value is not a download reference"));
        }

        return await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"download/reloadtask/{Uri.EscapeDataString(reference)}/{taskId}.log"), null, cancellation, expectJson: false).ConfigureAwait(false);
    }

    private static byte[] IdArray(IEnumerable<Guid> ids) => Encoding.UTF8.GetBytes("[" + string.Join(",", ids.Select(id => $"\"{id}\"")) + "]");
}
