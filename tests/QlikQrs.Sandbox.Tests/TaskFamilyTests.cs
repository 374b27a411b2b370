using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static QlikQrs.Sandbox.Tests.TaskKit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>Every kind of task read as one, every trigger read as one, and a task changed together with its triggers.</summary>
public sealed class TaskFamilyTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaskFamilyTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TaskListsEveryKindOfTaskWithItsType()
    {
        using QrsTestClient client = _sandbox.Client();
        var program = await NewExternalProgramTask(client);
        await NewReloadTask(client);

        int reload = (int)(await client.GetJsonAsync("qrs/reloadtask/count"))["value"]!;
        int external = (int)(await client.GetJsonAsync("qrs/externalprogramtask/count"))["value"]!;
        int userSync = (int)(await client.GetJsonAsync("qrs/usersynctask/count"))["value"]!;
        var all = (await client.GetJsonAsync("qrs/task/full")).AsArray();
        var programs = (await client.GetJsonAsync("qrs/task?" + QrsTestClient.Filter("taskType eq ExternalProgram"))).AsArray();

        Assert.True(userSync > 0, "The seed has the synced directory's user sync task.");
        Assert.Equal(reload + external + userSync, all.Count);
        Assert.Equal(reload + external + userSync, (int)(await client.GetJsonAsync("qrs/task/count"))["value"]!);
        Assert.Equal(1, (int)all.Single(t => (string?)t!["id"] == (string?)program["id"])!["taskType"]!);
        Assert.Contains(programs, t => (string?)t!["id"] == (string?)program["id"]);
        Assert.All(programs, t => Assert.Equal(1, (int)t!["taskType"]!));
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Get, "qrs/task?" + QrsTestClient.Filter("app.name eq 'x'"))).Status);
    }

    [Fact]
    public async Task TaskTableHasAColumnOfTaskTypes()
    {
        using QrsTestClient client = _sandbox.Client();
        var program = await NewExternalProgramTask(client);

        var table = await client.SendJsonAsync(HttpMethod.Post, "qrs/task/table?" + QrsTestClient.Filter($"id eq {program["id"]}"), new JsonObject
        {
            ["entity"] = "Task",
            ["columns"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["columnType"] = "Property", ["definition"] = "name" },
                new JsonObject { ["name"] = "taskType", ["columnType"] = "Property", ["definition"] = "taskType" }),
        }, 201);

        Assert.Equal(((string?)program["name"], 1), table["rows"]!.AsArray().Select(r => ((string?)r![0], (int)r[1]!)).Single());
    }

    [Fact]
    public async Task EventListsSchedulesAndTaskEvents()
    {
        using QrsTestClient client = _sandbox.Client();
        var upstream = await NewReloadTask(client);
        var task = await NewReloadTask(client);
        string reference = (string)task["id"]!;
        var schedule = await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", Hourly(reference), 201);
        var chain = await client.SendJsonAsync(HttpMethod.Post, "qrs/compositeevent", new JsonObject
        {
            ["name"] = "After upstream",
            ["enabled"] = true,
            ["reloadTask"] = new JsonObject { ["id"] = reference },
            ["compositeRules"] = new JsonArray(new JsonObject { ["ruleState"] = 1, ["reloadTask"] = new JsonObject { ["id"] = (string)upstream["id"]! } }),
        }, 201);

        var events = (await client.GetJsonAsync("qrs/event/full?" + QrsTestClient.Filter($"reloadTask.id eq {reference}") + "&orderby=eventType")).AsArray();

        Assert.Equal(new[] { ((string?)schedule["id"], 0), ((string?)chain["id"], 1) }, events.Select(e => ((string?)e!["id"], (int)e["eventType"]!)));
        Assert.Equal(reference, (string?)events[1]!["reloadTask"]!["id"]);
        Assert.Equal(2, (int)(await client.GetJsonAsync("qrs/event/count?" + QrsTestClient.Filter($"reloadTask.id eq {reference}")))["value"]!);
    }

    [Fact]
    public async Task AnExternalProgramTaskIsCreatedAndChangedWithItsTriggers()
    {
        using QrsTestClient client = _sandbox.Client();
        var program = await NewExternalProgramTask(client);
        string filter = QrsTestClient.Filter($"externalProgramTask.id eq {program["id"]}");
        var schedule = (await client.GetJsonAsync("qrs/schemaevent/full?" + filter)).AsArray().Single()!;

        var changed = await client.SendJsonAsync(HttpMethod.Post, "qrs/externalprogramtask/update", new JsonObject
        {
            ["task"] = new JsonObject { ["id"] = (string)program["id"]!, ["modifiedDate"] = (string)program["modifiedDate"]!, ["parameters"] = "--full" },
            ["schemaEventsToDelete"] = new JsonArray((string)schedule["id"]!),
        }, 201);

        Assert.Equal("--full", (string?)changed["parameters"]);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/schemaevent/count?" + filter))["value"]!);
    }

    [Fact]
    public async Task AReloadTaskAndItsTriggersChangeInOneCall()
    {
        using QrsTestClient client = _sandbox.Client();
        var upstream = await NewReloadTask(client);
        var task = await NewReloadTask(client);
        string reference = (string)task["id"]!;
        var schedule = await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", Hourly(reference), 201);

        var changed = await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask/update", new JsonObject
        {
            ["task"] = new JsonObject { ["id"] = reference, ["modifiedDate"] = (string)task["modifiedDate"]!, ["name"] = "Renamed " + Guid.NewGuid() },
            ["schemaEventsToDelete"] = new JsonArray((string)schedule["id"]!),
            ["compositeEvents"] = new JsonArray(new JsonObject
            {
                ["name"] = "After upstream",
                ["enabled"] = true,
                ["compositeRules"] = new JsonArray(new JsonObject { ["ruleState"] = 1, ["reloadTask"] = new JsonObject { ["id"] = (string)upstream["id"]! } }),
            }),
        }, 201);

        Assert.StartsWith("Renamed ", (string?)changed["name"]);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/schemaevent/count?" + QrsTestClient.Filter($"reloadTask.id eq {reference}")))["value"]!);
        Assert.Equal(1, (int)(await client.GetJsonAsync("qrs/compositeevent/count?" + QrsTestClient.Filter($"reloadTask.id eq {reference}")))["value"]!);
    }

    [Fact]
    public async Task AReloadTaskChangeReadBeforeAnotherChangeIsAConflict()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        var body = new JsonObject { ["task"] = new JsonObject { ["id"] = (string)task["id"]!, ["modifiedDate"] = (string)task["modifiedDate"]!, ["maxRetries"] = 2 } };
        await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask/update", body, 201);

        Assert.Equal(409, (await client.SendAsync(HttpMethod.Post, "qrs/reloadtask/update", body)).Status);
    }

    [Fact]
    public async Task ABundleWithAWrongTriggerCreatesNoTask()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        string name = "Refused " + Guid.NewGuid();

        var (status, _) = await client.SendAsync(HttpMethod.Post, "qrs/reloadtask/create", new JsonObject
        {
            ["task"] = new JsonObject { ["name"] = name, ["app"] = new JsonObject { ["id"] = (string)app["id"]! }, ["taskSessionTimeout"] = 60, ["maxRetries"] = 0 },
            ["compositeEvents"] = new JsonArray(new JsonObject
            {
                ["name"] = "After nothing",
                ["compositeRules"] = new JsonArray(new JsonObject { ["ruleState"] = 1, ["reloadTask"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() } }),
            }),
        });

        Assert.Equal(400, status);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/task/count?" + QrsTestClient.Filter($"name eq '{name}'")))["value"]!);
    }

    [Fact]
    public async Task ASelectionOfReloadTasksReadsAsTasks()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        var selection = await client.SendJsonAsync(HttpMethod.Post, "qrs/selection/reloadtask?" + QrsTestClient.Filter($"id eq {task["id"]}"), new JsonObject(), 201);

        var selected = (await client.GetJsonAsync($"qrs/selection/{selection["id"]}/task/full")).AsArray();

        Assert.Equal((string?)task["id"], (string?)selected.Single()!["id"]);
        Assert.Equal(0, (int)selected.Single()!["taskType"]!);
    }

    [Fact]
    public async Task NewTasksAndTriggersGetAnOperationalPart()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);

        var operational = await client.GetJsonAsync($"qrs/reloadtaskoperational/{task["operational"]!["id"]}");

        Assert.Equal("1753-01-01T00:00:00.000Z", (string?)operational["nextExecution"]);
        Assert.Null(operational["lastExecutionResult"]);
    }

    [Fact]
    public async Task TheSeededSiteHasTasksForAShareOfTheAppsWithSchedulesHistoryAndChains()
    {
        using QrsTestClient client = _sandbox.Client();
        var seeded = (await client.GetJsonAsync("qrs/reloadtask/full?" + QrsTestClient.Filter("name sw 'Reload task 0'") + "&orderby=name")).AsArray();

        Assert.Equal(10, seeded.Count);
        Assert.Equal(10, seeded.Select(t => (string?)t!["app"]!["id"]).Distinct().Count());
        Assert.All(seeded, t => Assert.Contains((int)t!["operational"]!["lastExecutionResult"]!["status"]!, new[] { 7, 8 }));
        JsonNode first = seeded[0]!;
        Assert.True(DateTime.Parse((string)first["operational"]!["nextExecution"]!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > DateTime.UtcNow);
        var chained = (await client.GetJsonAsync("qrs/compositeevent/full?" + QrsTestClient.Filter($"reloadTask.id eq {seeded[1]!["id"]}"))).AsArray().Single()!;
        Assert.Equal((string?)first["id"], (string?)chained["compositeRules"]![0]!["reloadTask"]!["id"]);
    }

    [Fact]
    public async Task ASeededChainRunsEndToEnd()
    {
        using QrsTestClient client = _sandbox.Client();
        var chain = (await client.GetJsonAsync("qrs/reloadtask?" + QrsTestClient.Filter("name eq 'Reload task 0006' or name eq 'Reload task 0007' or name eq 'Reload task 0008'") + "&orderby=name")).AsArray();
        foreach (JsonNode? task in chain)
        {
            await Arrange(client, task!, succeed: true);
        }

        await WaitForResult(client, await StartSynchronous(client, chain[0]!));

        Assert.Contains("Triggered by the task event 'When Reload task 0007 succeeds'.", Messages(await WaitForRuns(client, chain[2]!, 2)));
    }

    private static JsonObject Hourly(string? reloadTaskId = null) => new()
    {
        ["name"] = "Hourly",
        ["enabled"] = true,
        ["incrementOption"] = 1,
        ["incrementDescription"] = "0 1 0 0",
        ["schemaFilterDescription"] = new JsonArray("* * - * * * * *"),
        ["startDate"] = "2026-01-01T00:15:00.000Z",
        ["expirationDate"] = "9999-01-01T00:00:00.000Z",
        ["timeZone"] = "UTC",
        ["reloadTask"] = reloadTaskId is null ? null : new JsonObject { ["id"] = reloadTaskId },
    };

    private static async Task<JsonNode> NewExternalProgramTask(QrsTestClient client) =>
        await client.SendJsonAsync(HttpMethod.Post, "qrs/externalprogramtask/create", new JsonObject
        {
            ["task"] = new JsonObject { ["name"] = "Program " + Guid.NewGuid(), ["path"] = @"C:\Scripts\export.cmd", ["enabled"] = true, ["taskSessionTimeout"] = 60, ["maxRetries"] = 0 },
            ["schemaEvents"] = new JsonArray(Hourly()),
        }, 201);
}
