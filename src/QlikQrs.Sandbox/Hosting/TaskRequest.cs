using System;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Scheduling;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The body of <c>POST /sandbox/tasks</c>, read whole and checked before anything changes:
/// <c>{"name": "Reload task 0001", "succeed": false, "durationMilliseconds": 1500}</c> (or <c>"id"</c> instead of
/// <c>"name"</c>) sets how that task's next runs end and how long they take; <c>{"fireSchedules": true}</c> fires
/// every enabled schedule once, now.
/// </summary>
internal sealed record TaskRequest(Guid? TaskId, TaskArrangement? Arrangement, bool FireSchedules)
{
    private const string Where = "POST /sandbox/tasks";
    private const double DayInMilliseconds = 24 * 60 * 60 * 1000;

    public static TaskRequest Parse(JsonObject json, TaskRunner tasks)
    {
        var body = new AdminBody(json, Where, "name", "id", "succeed", "durationMilliseconds", "fireSchedules");
        string? name = body.Text("name");
        string? idText = body.Text("id");
        bool? succeed = body.Flag("succeed");
        double? milliseconds = body.Number("durationMilliseconds", 0, DayInMilliseconds);
        bool fire = body.Flag("fireSchedules") ?? false;
        if (name is not null && idText is not null)
        {
            throw QrsException.BadRequest($"{Where} names a task by name or by id, not both.");
        }

        if (name is null && idText is null)
        {
            return succeed is null && milliseconds is null
                ? new TaskRequest(null, null, fire)
                : throw QrsException.BadRequest($"{Where} needs the name or the id of the task whose runs it arranges.");
        }

        if (succeed is null && milliseconds is null)
        {
            throw QrsException.BadRequest($"{Where} names a task but says nothing of its runs: give succeed, durationMilliseconds or both.");
        }

        Guid taskId = name is not null
            ? tasks.FindTaskByName(name)?.Task.Id ?? throw body.Wrong("name", name, "the name of a task")
            : Guid.TryParse(idText, out Guid id) && tasks.FindTask(id) is not null ? id : throw body.Wrong("id", idText, "the id of a task");
        return new TaskRequest(taskId, new TaskArrangement(succeed, milliseconds is double ms ? TimeSpan.FromMilliseconds(ms) : null), fire);
    }
}
