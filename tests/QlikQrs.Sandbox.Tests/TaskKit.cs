using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>What the task tests do over and over, over HTTP as a client does: make a task, arrange its runs, start it and wait for its result.</summary>
internal static class TaskKit
{
    /// <summary>How long a wait polls before the test gives up: generous, because the machine may be busy.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<JsonNode> NewReloadTask(QrsTestClient client, int maxRetries = 0, bool enabled = true)
    {
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        return await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask", new JsonObject
        {
            ["name"] = "Task " + Guid.NewGuid(),
            ["app"] = new JsonObject { ["id"] = (string)app["id"]! },
            ["enabled"] = enabled,
            ["taskSessionTimeout"] = 1440,
            ["maxRetries"] = maxRetries,
        }, 201);
    }

    /// <summary>POST /sandbox/tasks; the admin endpoint answers 204 when it took the body.</summary>
    public static async Task Arrange(QrsTestClient client, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.Http.PostAsync("sandbox/tasks", content);
        Assert.Equal(204, (int)response.StatusCode);
    }

    public static Task Arrange(QrsTestClient client, JsonNode task, bool succeed, int durationMilliseconds = 300) =>
        Arrange(client, new JsonObject { ["id"] = (string)task["id"]!, ["succeed"] = succeed, ["durationMilliseconds"] = durationMilliseconds });

    public static async Task<string> StartSynchronous(QrsTestClient client, JsonNode task)
    {
        string session = (string)(await client.SendJsonAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start/synchronous", new JsonObject(), 201))["value"]!;
        Assert.NotEqual(Guid.Empty.ToString(), session);
        return session;
    }

    /// <summary>Polls the session until it is gone (404), then reads its result as Qlik documents: executionID eq the session id.</summary>
    public static async Task<JsonNode> WaitForResult(QrsTestClient client, string sessionId)
    {
        await Until(async () => (await client.SendAsync(HttpMethod.Get, $"qrs/executionsession/{sessionId}")).Status == 404, "the run to end");
        return (await client.GetJsonAsync("qrs/executionresult/full?" + QrsTestClient.Filter($"executionID eq {sessionId}"))).AsArray().Single()!;
    }

    /// <summary>The results of a task's runs, oldest first.</summary>
    public static async Task<JsonArray> Results(QrsTestClient client, JsonNode task) =>
        (await client.GetJsonAsync("qrs/executionresult/full?" + QrsTestClient.Filter($"taskID eq {task["id"]}") + "&orderby=createdDate")).AsArray();

    /// <summary>Waits for the task's runs to reach <paramref name="count"/>, the last of them finished; returns that last result.</summary>
    public static async Task<JsonNode> WaitForRuns(QrsTestClient client, JsonNode task, int count)
    {
        JsonNode? last = null;
        await Until(async () =>
        {
            JsonArray results = await Results(client, task);
            last = results.LastOrDefault();
            return results.Count >= count && (int)last!["status"]! is 6 or 7 or 8 or 9 or 11 or 12;
        }, $"{count} finished run(s) of {task["name"]}");
        return last!;
    }

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited in vain for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public static string[] Messages(JsonNode result) => result["details"]!.AsArray().Select(d => (string)d!["message"]!).ToArray();
}
