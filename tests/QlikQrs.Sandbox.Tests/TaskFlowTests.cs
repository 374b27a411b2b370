using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class TaskFlowTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaskFlowTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Server.Tasks.Duration = TimeSpan.FromMilliseconds(600);
    }

    private async Task<JsonNode> NewTask(QrsTestClient client)
    {
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        return await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask", new JsonObject
        {
            ["name"] = "Task " + Guid.NewGuid(),
            ["app"] = new JsonObject { ["id"] = (string)app["id"]! },
            ["taskSessionTimeout"] = 1440,
            ["maxRetries"] = 0,
        }, 201);
    }

    private static async Task<JsonNode> WaitForResult(QrsTestClient client, string sessionId, string executionId)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var (status, _) = await client.SendAsync(HttpMethod.Get, $"qrs/executionsession/{sessionId}");
            if (status == 404)
            {
                return (await client.GetJsonAsync("qrs/executionresult/full?" + QrsTestClient.Filter($"ExecutionId eq {executionId}"))).AsArray().Single()!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The task did not finish.");
    }

    [Fact]
    public async Task ASynchronousStartRunsThroughTheStatusesToSuccess()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewTask(client);
        var started = await client.SendJsonAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start/synchronous", new JsonObject(), 201);
        string session = (string)started["value"]!;

        Assert.NotEqual(Guid.Empty.ToString(), session);
        var running = await client.GetJsonAsync($"qrs/executionsession/{session}");
        string resultId = (string)running["executionResult"]!["id"]!;
        var early = await client.GetJsonAsync($"qrs/executionresult/{resultId}");
        Assert.Contains((int)early["status"]!, new[] { 1, 2 });

        var result = await WaitForResult(client, session, (string)early["executionID"]!);
        Assert.Equal(7, (int)result["status"]!);
        Assert.True((long)result["duration"]! > 0);
        Assert.Equal((string?)task["id"], (string?)result["taskID"]);
    }

    [Fact]
    public async Task AChosenFailureEndsInFinishedFailWithAScriptLog()
    {
        using QrsTestClient client = _sandbox.Client("CORP", "operator");
        var task = await NewTask(client);
        _sandbox.Server.Tasks.SetOutcome(Guid.Parse((string)task["id"]!), succeed: false);
        string session = (string)(await client.SendJsonAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start/synchronous", new JsonObject(), 201))["value"]!;
        string resultId = (string)(await client.GetJsonAsync($"qrs/executionsession/{session}"))["executionResult"]!["id"]!;
        string executionId = (string)(await client.GetJsonAsync($"qrs/executionresult/{resultId}"))["executionID"]!;

        var result = await WaitForResult(client, session, executionId);
        Assert.Equal(8, (int)result["status"]!);

        var log = await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}/scriptlog?filereferenceid={result["fileReferenceID"]}");
        var (status, text) = await client.SendAsync(HttpMethod.Get, $"qrs/download/reloadtask/{log["value"]}/script.log");
        Assert.Equal(200, status);
        Assert.Contains("Execution Failed", text);
    }

    [Fact]
    public async Task StartingARunningTaskAgainDoesNotStartIt()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewTask(client);
        await client.SendAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start");
        var again = await client.SendJsonAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start/synchronous", new JsonObject(), 201);

        Assert.Equal(Guid.Empty.ToString(), (string?)again["value"]);
    }

    [Fact]
    public async Task StartByNameAndAnUnknownTask()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewTask(client);

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, $"qrs/task/start?name={Uri.EscapeDataString((string)task["name"]!)}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Post, $"qrs/task/{Guid.NewGuid()}/start")).Status);
    }

    [Fact]
    public async Task CreateReloadTaskWithItsTriggers()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        var upstream = await NewTask(client);
        var created = await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask/create", new JsonObject
        {
            ["task"] = new JsonObject { ["name"] = "Bundled " + Guid.NewGuid(), ["app"] = new JsonObject { ["id"] = (string)app["id"]! }, ["taskSessionTimeout"] = 60, ["maxRetries"] = 1 },
            ["schemaEvents"] = new JsonArray(new JsonObject { ["name"] = "Daily", ["incrementOption"] = 2, ["incrementDescription"] = "0 0 1 0", ["startDate"] = "2026-12-01T03:00:00.000Z", ["expirationDate"] = "9999-01-01T00:00:00.000Z", ["schemaFilterDescription"] = new JsonArray("* * - * * * * *"), ["timeZone"] = "UTC" }),
            ["compositeEvents"] = new JsonArray(new JsonObject
            {
                ["name"] = "After upstream",
                ["compositeRules"] = new JsonArray(new JsonObject { ["ruleState"] = 1, ["reloadTask"] = new JsonObject { ["id"] = (string)upstream["id"]! } }),
            }),
        }, 201);

        string filter = QrsTestClient.Filter($"reloadTask.id eq {created["id"]}");
        Assert.Equal(1, (int)(await client.GetJsonAsync("qrs/schemaevent/count?" + filter))["value"]!);
        Assert.Equal(1, (int)(await client.GetJsonAsync("qrs/compositeevent/count?" + filter))["value"]!);
    }
}
