using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Filtering;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Scheduling;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The task calls: every kind of task read as one (<c>/task</c>) and every trigger as one (<c>/event</c>), starting
/// and stopping runs, a task and its triggers created or changed in one call, and the script logs of runs.
/// </summary>
public sealed partial class QrsApi
{
    private static readonly string[] s_eventFamilies = { "schemaevent", "compositeevent" };

    private async Task<bool> TryTaskFlowAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        IQueryCollection query = context.Request.Query;
        bool privileges = QueryValues.Flag(query, "privileges");
        Guid id = s.Length > 1 && Guid.TryParse(s[1], out Guid parsed) ? parsed : Guid.Empty;

        switch (s)
        {
            case ["task" or "event", ..] when s.Length <= 2 && (s.Length == 1 || s[1] is "full" or "count") && method == "GET":
                await WriteUnion(context, s[0] == "task" ? _tasks.TaskFamilies : EventFamilies, s[0] == "task" ? "Task" : "Event", s.Length == 1 ? null : s[1], ids: null, privileges);
                return true;
            case ["selection", _, "task" or "event", ..] when s.Length <= 4 && (s.Length == 3 || s[3] is "full" or "count") && method == "GET" && id != Guid.Empty:
                HashSet<string> selected = SelectedIds(id);
                await WriteUnion(context, s[2] == "task" ? _tasks.TaskFamilies : EventFamilies, s[2] == "task" ? "Task" : "Event", s.Length == 3 ? null : s[3], selected, privileges);
                return true;
            case ["task", _, "start"] when method == "POST" && id != Guid.Empty:
                StartTask(id, user);
                context.Response.StatusCode = 204;
                return true;
            case ["task", _, "start", "synchronous"] when method == "POST" && id != Guid.Empty:
                await QrsHttp.WriteValue(context, 201, StartTask(id, user).ToString());
                return true;
            case ["task", "start"] when method == "POST":
                StartTaskByName(query["name"], user);
                context.Response.StatusCode = 204;
                return true;
            case ["task", "start", "synchronous"] when method == "POST":
                await QrsHttp.WriteValue(context, 201, StartTaskByName(query["name"], user).ToString());
                return true;
            case ["task", "start" or "stop", "many"] when method == "POST":
                Guid[] taskIds = (await QrsHttp.ReadArray(context.Request, context.RequestAborted))
                    .Select(t => Guid.TryParse(t?.ToString(), out Guid each) ? each : throw QrsException.BadRequest($"'{t?.ToJsonString()}' is not a task id."))
                    .ToArray();
                foreach (Guid taskId in taskIds)
                {
                    RequireTask(taskId);
                }

                foreach (Guid taskId in taskIds)
                {
                    if (s[1] == "start")
                    {
                        StartTask(taskId, user);
                    }
                    else
                    {
                        _tasks.Stop(taskId, user.ToString());
                    }
                }

                context.Response.StatusCode = 204;
                return true;
            case ["task", _, "stop"] when method == "POST" && id != Guid.Empty:
                RequireTask(id);
                _tasks.Stop(id, user.ToString());
                context.Response.StatusCode = 204;
                return true;
            case ["reloadtask" or "externalprogramtask", "create"] when method == "POST":
                await CreateTaskBundle(context, Schema.Family(s[0])!, user, privileges);
                return true;
            case ["reloadtask" or "externalprogramtask", "update"] when method == "POST":
                await UpdateTaskBundle(context, Schema.Family(s[0])!, user, privileges);
                return true;
            case ["reloadtask", _, "scriptlog"] or ["reloadtask", _, "scriptlogfile"] when method == "GET" && id != Guid.Empty:
                await ScriptLog(context, id, s[2] == "scriptlog", user);
                return true;
            case ["download", "reloadtask", _, _] when method == "GET":
                await Download(context, s[2], user);
                return true;
            default:
                return false;
        }
    }

    private EntityFamily[] EventFamilies => s_eventFamilies.Select(Schema.Family).OfType<EntityFamily>().ToArray();

    /// <summary>A read-only view over several families as one type (Task over reload, external program and user sync tasks).</summary>
    private async Task WriteUnion(HttpContext context, EntityFamily[] families, string typeName, string? action, HashSet<string>? ids, bool privileges)
    {
        TypeShape type = Schema.Type(typeName);
        string? filterText = context.Request.Query["filter"];
        QrsFilter? filter = string.IsNullOrWhiteSpace(filterText) ? null : QrsFilter.Parse(filterText);
        IEnumerable<StoredEntity> selected = families.SelectMany(_store.List)
            .Where(e => ids is null || ids.Contains(e.Id.ToString()))
            .Where(e => filter is null || filter.Matches(e.Value, type, _renderer));
        if (action == "count")
        {
            await QrsHttp.WriteJson(context, 200, new JsonObject { ["value"] = selected.Count() });
            return;
        }

        string? orderBy = context.Request.Query["orderby"];
        if (!string.IsNullOrWhiteSpace(orderBy))
        {
            selected = QrsOrderBy.Parse(orderBy).Apply(selected, type, _renderer);
        }

        await WriteList(context, selected, action == "full" ? type : Schema.Type(typeName + "Condensed"), privileges);
    }

    private HashSet<string> SelectedIds(Guid selectionId) =>
        (_store.Find(Schema.Family("selection")!, selectionId) ?? throw QrsException.NotFound()).Value.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("objectID").GetString()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private (EntityFamily Family, StoredEntity Task) RequireTask(Guid id) => _tasks.FindTask(id) ?? throw QrsException.NotFound($"There is no task {id}.");

    private Guid StartTask(Guid id, QrsUser user)
    {
        var (family, task) = RequireTask(id);
        return _tasks.Start(family, task, user.ToString(), $"Manually triggered by {user}");
    }

    private Guid StartTaskByName(string? name, QrsUser user)
    {
        var (family, task) = _tasks.FindTaskByName(name ?? throw QrsException.BadRequest("?name= is required.")) ?? throw QrsException.NotFound($"There is no task named '{name}'.");
        return _tasks.Start(family, task, user.ToString(), $"Manually triggered by {user}");
    }

    /// <summary>POST /reloadtask/create, /externalprogramtask/create: the task with its schema (time) and composite (task chain) triggers in one call.</summary>
    private async Task CreateTaskBundle(HttpContext context, EntityFamily family, QrsUser user, bool privileges)
    {
        JsonObject bundle = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
        JsonObject taskBody = bundle["task"] as JsonObject ?? throw QrsException.BadRequest("The bundle has no task.");
        StoredEntity task = _store.Create(family, taskBody, user);
        try
        {
            ChangeTriggers(bundle, family, task.Id, user);
        }
        catch (QrsException)
        {
            _store.Delete(family, task.Id);
            throw;
        }

        await WriteEntity(context, 201, _store.Find(family, task.Id)!, family, privileges);
    }

    /// <summary>
    /// POST /reloadtask/update, /externalprogramtask/update: the task (when the change carries it; its modifiedDate is
    /// checked as a PUT's is), triggers to delete, and triggers to add or replace (those with the id of an existing one).
    /// </summary>
    private async Task UpdateTaskBundle(HttpContext context, EntityFamily family, QrsUser user, bool privileges)
    {
        JsonObject change = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
        Guid taskId;
        if (change["task"] is JsonObject taskBody)
        {
            taskId = Guid.TryParse(taskBody["id"]?.ToString(), out Guid given) ? given : throw QrsException.BadRequest("The task of the change has no id.");
            _store.Update(family, taskId, taskBody, user);
        }
        else
        {
            string property = TaskProperty(family);
            taskId = new[] { "schemaEvents", "compositeEvents" }
                .SelectMany(p => (change[p] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                .Select(e => Guid.TryParse(e[property]?["id"]?.ToString(), out Guid owner) ? owner : Guid.Empty)
                .FirstOrDefault(g => g != Guid.Empty);
            if (taskId == Guid.Empty || _store.Find(family, taskId) is null)
            {
                throw QrsException.BadRequest($"The change has no task, and no trigger that names its {property}.");
            }
        }

        foreach (var (property, eventFamily) in new[] { ("schemaEventsToDelete", "schemaevent"), ("compositeEventsToDelete", "compositeevent") })
        {
            foreach (JsonNode? eventId in change[property] as JsonArray ?? new JsonArray())
            {
                _store.Delete(Schema.Family(eventFamily)!, Guid.TryParse(eventId?.ToString(), out Guid g) ? g : throw QrsException.BadRequest($"'{eventId?.ToJsonString()}' in {property} is not an id."));
            }
        }

        ChangeTriggers(change, family, taskId, user);
        await WriteEntity(context, 201, _store.Find(family, taskId)!, family, privileges);
    }

    private void ChangeTriggers(JsonObject bundle, EntityFamily taskFamily, Guid taskId, QrsUser user)
    {
        foreach (var (property, eventFamilyName) in new[] { ("schemaEvents", "schemaevent"), ("compositeEvents", "compositeevent") })
        {
            EntityFamily eventFamily = Schema.Family(eventFamilyName)!;
            foreach (JsonObject trigger in (bundle[property] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                var copy = (JsonObject)trigger.DeepClone();
                copy[TaskProperty(taskFamily)] = new JsonObject { ["id"] = taskId.ToString() };
                if (Guid.TryParse(copy["id"]?.ToString(), out Guid existing) && _store.Find(eventFamily, existing) is not null)
                {
                    _store.Update(eventFamily, existing, copy, user);
                }
                else
                {
                    _store.Create(eventFamily, copy, user);
                }
            }
        }
    }

    private static string TaskProperty(EntityFamily family) => family.Name == "externalprogramtask" ? "externalProgramTask" : "reloadTask";

    private async Task ScriptLog(HttpContext context, Guid taskId, bool byFileReference, QrsUser user)
    {
        EntityFamily results = Schema.Family("executionresult")!;
        string key = byFileReference ? "filereferenceid" : "executionresultid";
        Guid wanted = Guid.TryParse(context.Request.Query[key], out Guid g) ? g : throw QrsException.BadRequest($"?{key}= is required.");
        StoredEntity result = _store.List(results).FirstOrDefault(r =>
            r.Value.GetProperty("taskID").GetString() == taskId.ToString() &&
            (byFileReference ? r.Value.GetProperty("fileReferenceID").GetString() == wanted.ToString() : r.Id == wanted))
            ?? throw QrsException.NotFound("There is no script log for that execution.");
        string path = _content.LogFile(Guid.TryParse(result.Value.GetProperty("fileReferenceID").GetString(), out Guid log) ? log : Guid.Empty);
        if (!File.Exists(path))
        {
            throw QrsException.NotFound("The execution has no script log yet.");
        }

        await QrsHttp.WriteValue(context, 200, _content.Offer(path, $"{taskId}.log", user).ToString());
    }
}
