using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static QlikQrs.Sandbox.Tests.TaskKit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>Task chains and schedules firing, observed over HTTP: what starts what, and when a schedule runs next.</summary>
public sealed class TaskTriggerTests : IClassFixture<SandboxFixture>
{
    private const int OnSuccess = 1;
    private const int OnFailure = 2;

    private readonly SandboxFixture _sandbox;

    public TaskTriggerTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task WhenATaskSucceedsTheTaskChainedOnItsSuccessRuns()
    {
        using QrsTestClient client = _sandbox.Client();
        var upstream = await NewReloadTask(client);
        var downstream = await ChainedTask(client, "After upstream", (upstream, OnSuccess));
        await Arrange(client, upstream, succeed: true);
        await Arrange(client, downstream, succeed: true);

        await WaitForResult(client, await StartSynchronous(client, upstream));
        var result = await WaitForRuns(client, downstream, 1);

        Assert.Equal(7, (int)result["status"]!);
        Assert.Contains("Triggered by the task event 'After upstream'.", Messages(result));
        var trigger = (await client.GetJsonAsync("qrs/compositeevent/full?" + QrsTestClient.Filter($"reloadTask.id eq {downstream["id"]}"))).AsArray().Single()!;
        Assert.Equal(1, (int)trigger["operational"]!["timesTriggered"]!);
    }

    [Fact]
    public async Task AFailureRunsTheTasksChainedOnFailureAndNotThoseOnSuccess()
    {
        using QrsTestClient client = _sandbox.Client();
        var upstream = await NewReloadTask(client);
        var onSuccess = await ChainedTask(client, "Only on success", (upstream, OnSuccess));
        var onFailure = await ChainedTask(client, "Only on failure", (upstream, OnFailure));
        await Arrange(client, upstream, succeed: false);
        await Arrange(client, onFailure, succeed: true);

        Assert.Equal(8, (int)(await WaitForResult(client, await StartSynchronous(client, upstream)))["status"]!);
        Assert.Equal(7, (int)(await WaitForRuns(client, onFailure, 1))["status"]!);

        // Both triggers are weighed when the upstream run ends, so once the one has started the other would have too.
        Assert.Empty(await Results(client, onSuccess));
    }

    [Fact]
    public async Task ATaskEventOnTwoTasksWaitsForBothWithinItsTimeConstraint()
    {
        using QrsTestClient client = _sandbox.Client();
        var first = await NewReloadTask(client);
        var second = await NewReloadTask(client);
        var both = await ChainedTask(client, "After both", (first, OnSuccess), (second, OnSuccess));
        await Arrange(client, first, succeed: true);
        await Arrange(client, second, succeed: true);
        await Arrange(client, both, succeed: true);

        await WaitForResult(client, await StartSynchronous(client, first));
        await WaitForResult(client, await StartSynchronous(client, second));

        Assert.Equal(7, (int)(await WaitForRuns(client, both, 1))["status"]!);
    }

    [Fact]
    public async Task ATaskEventDoesNotFireWhenItsRulesAreMetFurtherApartThanItsTimeConstraint()
    {
        using QrsTestClient client = _sandbox.Client();
        var first = await NewReloadTask(client);
        var second = await NewReloadTask(client);
        var both = await ChainedTask(client, "Within a second", new JsonObject { ["seconds"] = 1 }, (first, OnSuccess), (second, OnSuccess));
        var witness = await ChainedTask(client, "After the second", (second, OnSuccess));
        await Arrange(client, first, succeed: true);

        // The second run takes longer than the constraint, so it ends more than a second after the first, however fast the machine.
        await Arrange(client, second, succeed: true, durationMilliseconds: 2500);
        await Arrange(client, witness, succeed: true);

        await WaitForResult(client, await StartSynchronous(client, first));
        await WaitForResult(client, await StartSynchronous(client, second));
        await WaitForRuns(client, witness, 1);

        Assert.Empty(await Results(client, both));
    }

    [Fact]
    public async Task ADailyScheduleHasItsNextExecutionOnTheTaskAndTheSchedule()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        var task = await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask/create", new JsonObject
        {
            ["task"] = new JsonObject { ["name"] = "Nightly " + Guid.NewGuid(), ["app"] = new JsonObject { ["id"] = (string)app["id"]! }, ["enabled"] = true, ["taskSessionTimeout"] = 60, ["maxRetries"] = 0 },
            ["schemaEvents"] = new JsonArray(DailyAtThree()),
        }, 201);

        DateTime now = DateTime.UtcNow;
        DateTime expected = now.Date.AddHours(3) > now ? now.Date.AddHours(3) : now.Date.AddDays(1).AddHours(3);
        string nextOfTask = (string)(await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}"))["operational"]!["nextExecution"]!;
        var schedule = (await client.GetJsonAsync("qrs/schemaevent/full?" + QrsTestClient.Filter($"reloadTask.id eq {task["id"]}"))).AsArray().Single()!;

        Assert.Equal(expected.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), nextOfTask);
        Assert.Equal(nextOfTask, (string?)schedule["operational"]!["nextExecution"]);
        Assert.Equal(0, (int)schedule["eventType"]!);
    }

    [Fact]
    public async Task ADisabledScheduleHasNoNextExecution()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        var daily = DailyAtThree();
        daily["reloadTask"] = new JsonObject { ["id"] = (string)task["id"]! };
        var schedule = await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", daily, 201);

        daily["enabled"] = false;
        daily["modifiedDate"] = (string)schedule["modifiedDate"]!;
        await client.SendJsonAsync(HttpMethod.Put, $"qrs/schemaevent/{schedule["id"]}", daily, 200);

        Assert.Equal("1753-01-01T00:00:00.000Z", (string?)(await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}"))["operational"]!["nextExecution"]);
    }

    [Fact]
    public async Task FireSchedulesRunsEveryTaskWithAnEnabledScheduleNow()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        var daily = DailyAtThree();
        daily["reloadTask"] = new JsonObject { ["id"] = (string)task["id"]! };
        var schedule = await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", daily, 201);
        await Arrange(client, task, succeed: true);

        await Arrange(client, new JsonObject { ["fireSchedules"] = true });
        var result = await WaitForRuns(client, task, 1);

        Assert.Contains($"Triggered by the schedule '{daily["name"]}'.", Messages(result));
        var fired = await client.GetJsonAsync($"qrs/schemaevent/{schedule["id"]}");
        Assert.Equal(1, (int)fired["operational"]!["timesTriggered"]!);
    }

    [Fact]
    public async Task AScheduleFiresWhenItsTimeComes()
    {
        using QrsTestClient client = _sandbox.Client();
        var task = await NewReloadTask(client);
        await Arrange(client, task, succeed: true);
        var once = new JsonObject
        {
            ["name"] = "Once, soon",
            ["enabled"] = true,
            ["incrementOption"] = 0,
            ["incrementDescription"] = "0 0 0 0",
            ["schemaFilterDescription"] = new JsonArray("* * - * * * * *"),
            ["startDate"] = DateTime.UtcNow.AddSeconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["expirationDate"] = "9999-01-01T00:00:00.000Z",
            ["timeZone"] = "UTC",
            ["reloadTask"] = new JsonObject { ["id"] = (string)task["id"]! },
        };
        await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", once, 201);

        Assert.Contains("Triggered by the schedule 'Once, soon'.", Messages(await WaitForRuns(client, task, 1)));
        Assert.Equal("1753-01-01T00:00:00.000Z", (string?)(await client.GetJsonAsync($"qrs/reloadtask/{task["id"]}"))["operational"]!["nextExecution"]);
    }

    [Fact]
    public async Task DeletingATaskTakesItsTriggersAndTheRulesThatNameIt()
    {
        using QrsTestClient client = _sandbox.Client();
        var upstream = await NewReloadTask(client);
        var downstream = await ChainedTask(client, "After the deleted one", (upstream, OnSuccess));
        var daily = DailyAtThree();
        daily["reloadTask"] = new JsonObject { ["id"] = (string)upstream["id"]! };
        await client.SendJsonAsync(HttpMethod.Post, "qrs/schemaevent", daily, 201);

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/reloadtask/{upstream["id"]}")).Status);

        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/schemaevent/count?" + QrsTestClient.Filter($"reloadTask.id eq {upstream["id"]}")))["value"]!);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/compositeevent/count?" + QrsTestClient.Filter($"reloadTask.id eq {downstream["id"]}")))["value"]!);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, $"qrs/reloadtask/{downstream["id"]}")).Status);
    }

    private static JsonObject DailyAtThree() => new()
    {
        ["name"] = "Daily " + Guid.NewGuid(),
        ["enabled"] = true,
        ["incrementOption"] = 2,
        ["incrementDescription"] = "0 0 1 0",
        ["schemaFilterDescription"] = new JsonArray("* * - * * * * *"),
        ["startDate"] = "2026-01-01T03:00:00.000Z",
        ["expirationDate"] = "9999-01-01T00:00:00.000Z",
        ["timeZone"] = "UTC",
        ["daylightSavingTime"] = 0,
    };

    private static Task<JsonNode> ChainedTask(QrsTestClient client, string trigger, params (JsonNode Task, int State)[] rules) =>
        ChainedTask(client, trigger, null, rules);

    /// <summary>A reload task created with a task event on the given tasks' states, through /reloadtask/create.</summary>
    private static async Task<JsonNode> ChainedTask(QrsTestClient client, string trigger, JsonObject? timeConstraint, params (JsonNode Task, int State)[] rules)
    {
        JsonNode app = (await client.GetJsonAsync("qrs/app")).AsArray().First()!;
        return await client.SendJsonAsync(HttpMethod.Post, "qrs/reloadtask/create", new JsonObject
        {
            ["task"] = new JsonObject { ["name"] = "Chained " + Guid.NewGuid(), ["app"] = new JsonObject { ["id"] = (string)app["id"]! }, ["enabled"] = true, ["taskSessionTimeout"] = 60, ["maxRetries"] = 0 },
            ["compositeEvents"] = new JsonArray(new JsonObject
            {
                ["name"] = trigger,
                ["enabled"] = true,
                ["timeConstraint"] = timeConstraint ?? new JsonObject { ["days"] = 1 },
                ["compositeRules"] = new JsonArray(rules.Select(r => (JsonNode)new JsonObject
                {
                    ["ruleState"] = r.State,
                    ["reloadTask"] = new JsonObject { ["id"] = (string)r.Task["id"]! },
                }).ToArray()),
            }),
        }, 201);
    }
}
