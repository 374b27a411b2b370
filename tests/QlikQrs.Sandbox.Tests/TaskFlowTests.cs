using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static QlikQrs.Sandbox.Tests.TaskKit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>Runs of tasks as a client sees them through QRS: sessions, results, details, script logs, stops and retries.</summary>
public sealed class TaskFlowTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaskFlowTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task ASynchronousStartRunsThroughTheStatusesToSuccess()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true, durationMilliseconds: 600);
        string session = await StartSynchronous(client, task);

        var running = await client.GetJsonAsync($"qrs/executionsession/{session}");
        var early = await client.GetJsonAsync($"qrs/executionresult/{running["executionResult"]!["id"]}");
        Assert.Contains((int)early["status"]!, new[] { 1, 2 });
        Assert.Equal(session, (string?)early["executionID"]);
        Assert.Equal((string?)task["id"], (string?)running["reloadTask"]!["id"]);

        var result = await WaitForResult(client, session);
        Assert.Equal(7, (int)result["status"]!);
        Assert.Equal((string?)task["id"], (string?)result["taskID"]);
        Assert.True((long)result["duration"]! > 0);
        Assert.Equal("localhost", (string?)result["executingNodeName"]);
        Assert.True(DateTime.Parse((string)result["stopTime"]!, CultureInfo.InvariantCulture) > DateTime.Parse((string)result["startTime"]!, CultureInfo.InvariantCulture));
        Assert.Equal(
            new[] { "Triggered", "Started", "FinishedSuccess" },
            Messages(result).Where(m => m.StartsWith("Changing task state", StringComparison.Ordinal)).Select(m => m.Split(' ')[^1].TrimEnd('.')));
        Assert.All(result["details"]!.AsArray(), d => Assert.NotEqual("1753-01-01T00:00:00.000Z", (string?)d!["detailCreatedDate"]));
    }

    [Fact]
    public async Task TheTaskKeepsItsLastResultInItsOperationalPart()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: false);

        var result = await WaitForResult(client, await StartSynchronous(client, task));

        var stored = await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}");
        Assert.Equal((string?)result["id"], (string?)stored["operational"]!["lastExecutionResult"]!["id"]);
        Assert.Equal(8, (int)stored["operational"]!["lastExecutionResult"]!["status"]!);
        Assert.Equal(1, (int)(await client.GetJsonAsync("qrs/reloadtask/count?" + QrsTestClient.Filter($"operational.lastExecutionResult.status eq FinishedFail and id eq {task["id"]}")))["value"]!);
    }

    [Fact]
    public async Task AnArrangedFailureEndsInFinishedFailWithTheReasonAtTheEndOfTheScriptLog()
    {
        using QrsTestClient client = _sandbox.Client("CORP", "operator");
        var task = await NewReloadTask(client);
        await Arrange(client, new JsonObject { ["name"] = (string)task["name"]!, ["succeed"] = false, ["durationMilliseconds"] = 300 });

        var result = await WaitForResult(client, await StartSynchronous(client, task));

        Assert.Equal(8, (int)result["status"]!);
        Assert.Contains(result["details"]!.AsArray(), d => (int)d!["detailsType"]! == 0 && ((string)d["message"]!).Contains("Field 'Amount' not found", StringComparison.Ordinal));
        var token = await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}/scriptlogfile?executionresultid={result["id"]}");
        var (status, text) = await client.SendAsync(HttpMethod.Get, $"qrs/download/reloadtask/{token["value"]}/script.log");
        Assert.Equal(200, status);
        string[] lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("Error: Field 'Amount' not found", lines[^3]);
        Assert.EndsWith("Execution Failed", lines[^2]);
        Assert.EndsWith("Execution finished.", lines[^1]);
        Assert.Equal(text.Length, (long)result["scriptLogSize"]!);
    }

    [Fact]
    public async Task TheDeprecatedScriptLogPathTakesTheFileReference()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true);
        var result = await WaitForResult(client, await StartSynchronous(client, task));

        var token = await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}/scriptlog?filereferenceid={result["fileReferenceID"]}");
        var (status, text) = await client.SendAsync(HttpMethod.Get, $"qrs/download/reloadtask/{token["value"]}/script.log");

        Assert.Equal(200, status);
        Assert.Contains("12,345 Lines fetched", text);
    }

    [Fact]
    public async Task AStoppedRunGoesThroughAbortInitiatedAndAbortingToAborted()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true, durationMilliseconds: 60_000);
        string session = await StartSynchronous(client, task);
        string resultId = (string)(await client.GetJsonAsync($"qrs/executionsession/{session}"))["executionResult"]!["id"]!;
        await Until(async () => (int)(await client.GetJsonAsync($"qrs/executionresult/{resultId}"))["status"]! == 2, "the run to start");

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/stop")).Status);
        var result = await WaitForResult(client, session);

        Assert.Equal(6, (int)result["status"]!);
        Assert.Equal(
            new[] { "Triggered", "Started", "AbortInitiated", "Aborting", "Aborted" },
            Messages(result).Where(m => m.StartsWith("Changing task state", StringComparison.Ordinal)).Select(m => m.Split(' ')[^1].TrimEnd('.')));
        Assert.Contains(Messages(result), m => m.Contains(@"Abort requested by INTERNAL\sa_api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartManyAndStopManyActOnEachTask()
    {
        using QrsTestClient client = _sandbox.Client();
        var first = await NewReloadTask(client);
        var second = await NewReloadTask(client);
        foreach (var task in new[] { first, second })
        {
            await Arrange(client, task, succeed: true, durationMilliseconds: 60_000);
        }

        var ids = new JsonArray((string)first["id"]!, (string)second["id"]!);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, "qrs/task/start/many", ids)).Status);
        Assert.Equal(2, (int)(await client.GetJsonAsync("qrs/executionsession/count?" + QrsTestClient.Filter($"reloadTask.id eq {first["id"]} or reloadTask.id eq {second["id"]}")))["value"]!);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, "qrs/task/stop/many", ids.DeepClone())).Status);

        Assert.Equal(6, (int)(await WaitForRuns(client, first, 1))["status"]!);
        Assert.Equal(6, (int)(await WaitForRuns(client, second, 1))["status"]!);
    }

    [Fact]
    public async Task StopManyWithAnUnknownTaskStopsNone()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true, durationMilliseconds: 1500);
        string session = await StartSynchronous(client, task);

        Assert.Equal(404, (await client.SendAsync(HttpMethod.Post, "qrs/task/stop/many", new JsonArray((string)task["id"]!, Guid.NewGuid().ToString()))).Status);

        Assert.Equal(7, (int)(await WaitForResult(client, session))["status"]!);
    }

    [Fact]
    public async Task AFailedRunIsRetriedWhileTheTaskHasRetriesLeft()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client, maxRetries: 2);
        await Arrange(client, task, succeed: false, durationMilliseconds: 200);

        var result = await WaitForResult(client, await StartSynchronous(client, task));

        Assert.Equal(8, (int)result["status"]!);
        Assert.Equal(2, Messages(result).Count(m => m.EndsWith("to Retry.", StringComparison.Ordinal)));
        Assert.Single(await Results(client, task));
    }

    [Fact]
    public async Task StartingARunningTaskAgainDoesNotStartIt()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true, durationMilliseconds: 1500);
        await client.SendAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start");
        var again = await client.SendJsonAsync(HttpMethod.Post, $"qrs/task/{task["id"]}/start/synchronous", new JsonObject(), 201);

        Assert.Equal(Guid.Empty.ToString(), (string?)again["value"]);
    }

    [Fact]
    public async Task StartByNameAndAnUnknownTask()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true);

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Post, $"qrs/task/start?name={Uri.EscapeDataString((string)task["name"]!)}")).Status);
        Assert.Equal(7, (int)(await WaitForRuns(client, task, 1))["status"]!);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Post, $"qrs/task/{Guid.NewGuid()}/start")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Post, "qrs/task/start?name=No%20such%20task")).Status);
    }
}
