using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>Tags and custom properties as QRS keeps them: unique names, values from the choices, definitions only on the kinds they list; and the seeded definitions.</summary>
public sealed class TaggingRuleTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaggingRuleTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task ATagNameIsUniqueInAnyCaseOnPostManyAndPut()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode first = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "Unique tag" }, 201);
        JsonNode other = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "Other tag" }, 201);

        (int status, string text) = await client.SendAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "UNIQUE TAG" });
        (int manyStatus, _) = await client.SendAsync(HttpMethod.Post, "qrs/tag/many", new JsonArray(new JsonObject { ["name"] = "Twin" }, new JsonObject { ["name"] = "twin" }));
        other["name"] = "unique tag";
        (int putStatus, _) = await client.SendAsync(HttpMethod.Put, $"qrs/tag/{other["id"]}", other);
        first["name"] = "Unique tag";
        await client.SendJsonAsync(HttpMethod.Put, $"qrs/tag/{first["id"]}", first, 200);

        Assert.Equal(409, status);
        Assert.Contains("named 'UNIQUE TAG' already exists", text);
        Assert.Equal(409, manyStatus);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/tag/count?" + QrsTestClient.Filter("name eq 'Twin'")))["value"]!);
        Assert.Equal(409, putStatus);
    }

    [Fact]
    public async Task ACustomPropertyValueMustBeAChoiceAndTheDefinitionMustListTheKind()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode criticality = (await client.GetJsonAsync("qrs/custompropertydefinition/full?" + QrsTestClient.Filter("name eq 'Criticality'"))).AsArray().Single()!;
        JsonNode app = (await client.GetJsonAsync("qrs/app/full")).AsArray().First()!;
        JsonNode stream = (await client.GetJsonAsync("qrs/stream/full")).AsArray().First()!;
        JsonObject Value(string value) => new() { ["value"] = value, ["definition"] = new JsonObject { ["id"] = (string?)criticality["id"] } };

        app["customProperties"] = new JsonArray(Value("Urgent"));
        (int choiceStatus, string choiceText) = await client.SendAsync(HttpMethod.Put, $"qrs/app/{app["id"]}", app);
        stream["customProperties"] = new JsonArray(Value("High"));
        (int kindStatus, string kindText) = await client.SendAsync(HttpMethod.Put, $"qrs/stream/{stream["id"]}", stream);
        app["customProperties"] = new JsonArray(Value("High"));
        JsonNode saved = await client.SendJsonAsync(HttpMethod.Put, $"qrs/app/{app["id"]}", app, 200);

        Assert.Equal(400, choiceStatus);
        Assert.Equal("'Urgent' is not a value of the custom property 'Criticality'; its values are Low, Medium, High.", choiceText);
        Assert.Equal(400, kindStatus);
        Assert.Equal("The custom property 'Criticality' does not apply to Stream; it applies to App.", kindText);
        Assert.Equal("High", (string?)saved["customProperties"]!.AsArray().Single()!["value"]);
        Assert.Equal("Criticality", (string?)saved["customProperties"]!.AsArray().Single()!["definition"]!["name"]);
    }

    [Fact]
    public async Task ADefinitionNameIsUniqueAndListsOnlyKindsThatTakeCustomProperties()
    {
        using QrsTestClient client = _sandbox.Client();

        (int duplicate, _) = await client.SendAsync(HttpMethod.Post, "qrs/custompropertydefinition", new JsonObject { ["name"] = "department", ["objectTypes"] = new JsonArray("App") });
        (int kind, string kindText) = await client.SendAsync(HttpMethod.Post, "qrs/custompropertydefinition", new JsonObject { ["name"] = "Colour", ["objectTypes"] = new JsonArray("Tag") });

        Assert.Equal(409, duplicate);
        Assert.Equal(400, kind);
        Assert.Equal("'Tag' is not a type of entity that takes custom properties.", kindText);
    }

    [Fact]
    public async Task TheSeedDefinesDepartmentCriticalityAndRegionWithChoicesAndGivesSomeEntitiesValues()
    {
        using QrsTestClient client = _sandbox.Client();
        var definitions = (await client.GetJsonAsync("qrs/custompropertydefinition/full?orderby=name")).AsArray();

        Assert.Equal(new[] { "Criticality", "Department", "Region" }, definitions.Select(d => (string?)d!["name"]));
        Assert.Equal(new[] { "Finance", "Sales", "Supply", "HR", "Marketing" }, definitions[1]!["choiceValues"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(new[] { "App", "Stream", "User" }, definitions[1]!["objectTypes"]!.AsArray().Select(c => (string?)c));
        foreach (string type in new[] { "app", "stream", "user" })
        {
            int valued = (int)(await client.GetJsonAsync($"qrs/{type}/count?" + QrsTestClient.Filter("customProperties.definition.name eq 'Department'")))["value"]!;
            int all = (int)(await client.GetJsonAsync($"qrs/{type}/count"))["value"]!;
            Assert.InRange(valued, 1, all - 1);
        }
    }

    [Fact]
    public void SeedingAgainAddsNoDefinitionTwiceAndTheSameSeedValuesTheSameEntities()
    {
        var store = new EntityStore(_sandbox.Server.Store.Schema);
        var again = new EntityStore(_sandbox.Server.Store.Schema);
        var spec = new SeedSpec(Users: 10, Apps: 12, Streams: 3);
        SandboxSeeder.Seed(store, spec);
        SandboxSeeder.Seed(store, spec with { Apps = 3, RandomSeed = 7 });
        SandboxSeeder.Seed(again, spec);

        string Values(EntityStore s) => string.Join("|", s.List(s.Schema.Family("app")!).Take(12).Select(a => a.Value.GetProperty("customProperties").GetRawText()));

        Assert.Equal(3, store.Count(store.Schema.Family("custompropertydefinition")!));
        Assert.Contains("\"value\"", Values(store));
        Assert.Equal(Values(again), Values(store));
    }
}
