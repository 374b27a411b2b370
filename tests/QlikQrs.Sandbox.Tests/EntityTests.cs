using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class EntityTests : IClassFixture<SandboxFixture>
{
    private static readonly Regex s_qrsDate = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$");

    private readonly SandboxFixture _sandbox;

    public EntityTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task PostFillsWhatTheServerOwnsAndAnswers201()
    {
        using QrsTestClient client = _sandbox.Client();
        var stream = await client.SendJsonAsync(HttpMethod.Post, "qrs/stream", new JsonObject { ["name"] = "Finance " + Guid.NewGuid() }, 201);

        Assert.True(Guid.TryParse((string?)stream["id"], out Guid id) && id != Guid.Empty);
        Assert.Matches(s_qrsDate, (string?)stream["createdDate"]);
        Assert.Matches(s_qrsDate, (string?)stream["modifiedDate"]);
        Assert.Equal(@"INTERNAL\sa_api", (string?)stream["modifiedByUserName"]);
        Assert.Equal("Stream", (string?)stream["schemaPath"]);
        Assert.Equal("sa_api", (string?)stream["owner"]!["userId"]);
        Assert.NotNull(stream["customProperties"] as JsonArray);
    }

    [Fact]
    public async Task PostWithoutARequiredFieldIs400()
    {
        using QrsTestClient client = _sandbox.Client();
        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/tag", new JsonObject());

        Assert.Equal(400, status);
        Assert.Contains("'name'", text);
    }

    [Fact]
    public async Task PostManyCreatesEach()
    {
        using QrsTestClient client = _sandbox.Client();
        string prefix = "many-" + Guid.NewGuid();
        var created = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag/many", new JsonArray(new JsonObject { ["name"] = prefix + "-1" }, new JsonObject { ["name"] = prefix + "-2" }), 201);

        Assert.Equal(2, created.AsArray().Count);
        Assert.Equal(2, (int)(await client.GetJsonAsync("qrs/tag/count?" + QrsTestClient.Filter($"name sw '{prefix}'")))["value"]!);
    }

    [Fact]
    public async Task PutWithAnOlderModifiedDateIs409AndChangesNothing()
    {
        using QrsTestClient client = _sandbox.Client();
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "conflict-" + Guid.NewGuid() }, 201);
        string id = (string)tag["id"]!;
        JsonNode first = tag.DeepClone();
        first["name"] = "first writer";
        await client.SendJsonAsync(HttpMethod.Put, $"qrs/tag/{id}", first, 200);

        JsonNode stale = tag.DeepClone();
        stale["name"] = "second writer";
        var (status, text) = await client.SendAsync(HttpMethod.Put, $"qrs/tag/{id}", stale);

        Assert.Equal(409, status);
        Assert.Contains("Get it again", text);
        Assert.Equal("first writer", (string?)(await client.GetJsonAsync($"qrs/tag/{id}"))["name"]);
    }

    [Fact]
    public async Task PutWithAnotherIdInTheBodyIs400()
    {
        using QrsTestClient client = _sandbox.Client();
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "ids-" + Guid.NewGuid() }, 201);
        JsonNode body = tag.DeepClone();
        body["id"] = Guid.NewGuid().ToString();

        var (status, _) = await client.SendAsync(HttpMethod.Put, $"qrs/tag/{tag["id"]}", body);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task PutUpdatesAndMovesModifiedDateForward()
    {
        using QrsTestClient client = _sandbox.Client("CORP", "editor");
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "before-" + Guid.NewGuid() }, 201);
        JsonNode body = tag.DeepClone();
        body["name"] = "after é";
        var updated = await client.SendJsonAsync(HttpMethod.Put, $"qrs/tag/{tag["id"]}", body, 200);

        Assert.Equal("after é", (string?)updated["name"]);
        Assert.True(string.CompareOrdinal((string?)updated["modifiedDate"], (string?)tag["modifiedDate"]) > 0);
        Assert.Equal((string?)tag["createdDate"], (string?)updated["createdDate"]);
    }

    [Fact]
    public async Task DeleteIs204ThenTheEntityIs404()
    {
        using QrsTestClient client = _sandbox.Client();
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "gone-" + Guid.NewGuid() }, 201);

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/tag/{tag["id"]}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"qrs/tag/{tag["id"]}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Delete, $"qrs/tag/{tag["id"]}")).Status);
    }

    [Fact]
    public async Task ReferencesStayConsistentWhenTheirTargetsChange()
    {
        using QrsTestClient client = _sandbox.Client();
        var stream = await client.SendJsonAsync(HttpMethod.Post, "qrs/stream", new JsonObject { ["name"] = "Old name " + Guid.NewGuid() }, 201);
        var tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "doomed-" + Guid.NewGuid() }, 201);
        JsonNode app = (await client.GetJsonAsync("qrs/app/full")).AsArray().First()!;
        app["stream"] = new JsonObject { ["id"] = (string)stream["id"]! };
        app["published"] = true;
        app["tags"] = new JsonArray(new JsonObject { ["id"] = (string)tag["id"]! });
        await client.SendJsonAsync(HttpMethod.Put, $"qrs/app/{app["id"]}", app, 200);

        JsonNode renamed = stream.DeepClone();
        renamed["name"] = "New name";
        await client.SendJsonAsync(HttpMethod.Put, $"qrs/stream/{stream["id"]}", renamed, 200);
        await client.SendAsync(HttpMethod.Delete, $"qrs/tag/{tag["id"]}");

        var after = await client.GetJsonAsync($"qrs/app/{app["id"]}");
        Assert.Equal("New name", (string?)after["stream"]!["name"]);
        Assert.DoesNotContain(after["tags"]!.AsArray(), t => (string?)t!["id"] == (string?)tag["id"]);
    }

    [Fact]
    public async Task AReferenceToAMissingEntityIs400()
    {
        using QrsTestClient client = _sandbox.Client();
        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/stream", new JsonObject
        {
            ["name"] = "orphan",
            ["owner"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() },
        });

        Assert.Equal(400, status);
        Assert.Contains("does not exist", text);
    }

    [Fact]
    public async Task ListsAreCondensedAndFullIsFull()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonObject condensed = (await client.GetJsonAsync("qrs/app")).AsArray().First()!.AsObject();
        JsonObject full = (await client.GetJsonAsync("qrs/app/full")).AsArray().First()!.AsObject();

        Assert.False(condensed.ContainsKey("owner"));
        Assert.True(full.ContainsKey("owner"));
        Assert.True(condensed.ContainsKey("name") && condensed.ContainsKey("stream"));
    }

    [Fact]
    public async Task CountAnswersAValueObject()
    {
        using QrsTestClient client = _sandbox.Client();
        var count = await client.GetJsonAsync("qrs/app/count");
        var apps = await client.GetJsonAsync("qrs/app");

        Assert.Equal(apps.AsArray().Count, (int)count["value"]!);
    }

    [Fact]
    public async Task PrivilegesAreListedOnlyWhenAsked()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode plain = (await client.GetJsonAsync("qrs/stream")).AsArray().First()!;
        JsonNode withPrivileges = (await client.GetJsonAsync("qrs/stream?privileges=true")).AsArray().First()!;

        Assert.Null(plain["privileges"]);
        Assert.Contains("read", withPrivileges["privileges"]!.AsArray().Select(p => (string?)p));
    }

    [Fact]
    public async Task TablePagesAndSorts()
    {
        using QrsTestClient client = _sandbox.Client();
        var definition = new JsonObject
        {
            ["type"] = "App",
            ["columns"] = new JsonArray(
                new JsonObject { ["name"] = "id", ["columnType"] = "Property", ["definition"] = "id" },
                new JsonObject { ["name"] = "name", ["columnType"] = "Property", ["definition"] = "name" },
                new JsonObject { ["name"] = "stream", ["columnType"] = "Property", ["definition"] = "stream.name" }),
        };
        var table = await client.SendJsonAsync(HttpMethod.Post, "qrs/app/table?skip=5&take=10&sortcolumn=name&orderascending=false", definition, 201);
        string[] allNames = (await client.GetJsonAsync("qrs/app?orderby=name%20desc")).AsArray().Select(a => (string)a!["name"]!).ToArray();

        Assert.Equal(new[] { "id", "name", "stream" }, table["columnNames"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(allNames.Skip(5).Take(10), table["rows"]!.AsArray().Select(r => (string)r![1]!));
    }

    [Fact]
    public async Task AboutDescribesTheApi()
    {
        using QrsTestClient client = _sandbox.Client();
        var description = await client.GetJsonAsync("qrs/about/api/description");
        var enums = await client.GetJsonAsync("qrs/about/api/enums");
        var relations = await client.GetJsonAsync("qrs/about/api/relations");
        var defaultApp = await client.GetJsonAsync("qrs/about/api/default/app");

        Assert.Contains(description.AsArray(), d => (string?)d == "GET /qrs/app/full?filter={filter}&orderby={orderby}&privileges={privileges}");
        Assert.Contains("7: FinishedSuccess", enums["TaskExecutionStatus"]!["values"]!.AsArray().Select(v => (string?)v));
        Assert.Contains("ExecutionResult.status", enums["TaskExecutionStatus"]!["usages"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(new[] { "ReloadTask.taskType" }, enums["ReloadTask.taskType"]!["usages"]!.AsArray().Select(v => (string?)v));
        Assert.Contains(relations.AsArray(), r => (string?)r == "App.stream > Stream");
        Assert.Equal(Guid.Empty.ToString(), (string?)defaultApp["id"]);
        Assert.Equal("1753-01-01T00:00:00.000Z", (string?)defaultApp["publishTime"]);
    }

    [Fact]
    public async Task UnknownPathsAre404()
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, "qrs/nosuchthing")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"qrs/app/{Guid.NewGuid()}")).Status);
    }
}
