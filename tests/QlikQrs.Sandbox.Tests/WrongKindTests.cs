using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// A property value of the wrong kind is a 400 that names the property and the value, on POST, POST /many and PUT,
/// and is never stored: lists, filters and sorts that read the property as its kind go on working. Its own sandbox,
/// so that a value let through would show in its lists.
/// </summary>
public sealed class WrongKindTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public WrongKindTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public static TheoryData<string, string> WrongValues => new()
    {
        { """{"name": 123}""", "The name of SystemRule must be text, not the number 123." },
        { """{"name": {"text": "a"}}""", "The name of SystemRule must be text, not an object." },
        { """{"resourceFilter": ["App_*"]}""", "The resourceFilter of SystemRule must be text, not an array." },
        { """{"comment": true}""", "The comment of SystemRule must be text, not true." },
        { """{"version": "2"}""", "The version of SystemRule must be a whole number that fits 32 bits, not the text '2'." },
        { """{"version": 1.5}""", "The version of SystemRule must be a whole number that fits 32 bits, not the number 1.5." },
        { """{"version": 3000000000}""", "The version of SystemRule must be a whole number that fits 32 bits, not the number 3000000000." },
        { """{"actions": "all"}""", "The actions of SystemRule must be a whole number, not the text 'all'." },
        { """{"disabled": "false"}""", "The disabled of SystemRule must be true or false, not the text 'false'." },
        { """{"disabled": 0}""", "The disabled of SystemRule must be true or false, not the number 0." },
        { """{"seedId": "not-a-guid"}""", "The seedId of SystemRule must be a GUID, not the text 'not-a-guid'." },
        { """{"createdDate": "yesterday"}""", "The createdDate of SystemRule must be a date such as 1753-01-01T00:00:00.000Z, not the text 'yesterday'." },
        { """{"ruleContext": true}""", "The ruleContext of SystemRule must be one of BothQlikSenseAndQMC, QlikSenseOnly, QMCOnly or its number, not true." },
        { """{"ruleContext": "Everywhere"}""", "The ruleContext of SystemRule must be one of BothQlikSenseAndQMC, QlikSenseOnly, QMCOnly or its number, not the text 'Everywhere'." },
        { """{"tags": {"id": "00000000-0000-0000-0000-000000000000"}}""", "The property 'tags' of SystemRule must be an array." },
        { """{"tags": [null]}""", "The tags of SystemRule must not hold null." },
        { """{"tags": ["Finance"]}""", "The tags of SystemRule must be an object with the id of a Tag, not the text 'Finance'." },
        { """{"tags": [{"id": 7}]}""", "The tags of SystemRule must be an object with the id of a Tag, not the number 7." },
        { """{"tags": [[]]}""", "The tags of SystemRule must be an object with the id of a Tag, not an array." },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task PostIs400AndStoresNothing(string wrong, string message)
    {
        using QrsTestClient client = _sandbox.Client();
        int before = await Count(client);

        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/systemrule", With(Rule("post"), wrong));

        Assert.Equal((400, message), (status, text));
        Assert.Equal(before, await Count(client));
        await ListsFiltersAndSortsStillWork(client);
    }

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task PostManyIs400AndStoresNoneOfTheItems(string wrong, string message)
    {
        using QrsTestClient client = _sandbox.Client();
        int before = await Count(client);

        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/systemrule/many", new JsonArray(Rule("many-right"), With(Rule("many-wrong"), wrong)));

        Assert.Equal((400, message), (status, text));
        Assert.Equal(before, await Count(client));
        await ListsFiltersAndSortsStillWork(client);
    }

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task PutIs400AndChangesNothing(string wrong, string message)
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode rule = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule", Rule("put"), 201);
        string id = (string)rule["id"]!;

        var (status, text) = await client.SendAsync(HttpMethod.Put, $"qrs/systemrule/{id}", With(rule.DeepClone().AsObject(), wrong));

        Assert.Equal((400, message), (status, text));
        Assert.Equal(rule.ToJsonString(), (await client.GetJsonAsync($"qrs/systemrule/{id}")).ToJsonString());
        await ListsFiltersAndSortsStillWork(client);
    }

    [Fact]
    public async Task AModifiedDateThatIsNoDateIs400NotAConflict()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode rule = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule", Rule("date"), 201);
        rule["modifiedDate"] = "now";

        var (status, text) = await client.SendAsync(HttpMethod.Put, $"qrs/systemrule/{rule["id"]}", rule);

        Assert.Equal((400, "The modifiedDate of SystemRule must be a date such as 1753-01-01T00:00:00.000Z, not the text 'now'."), (status, text));
    }

    [Fact]
    public async Task ANestedObjectIsCheckedAsItsOwnType()
    {
        using QrsTestClient client = _sandbox.Client();

        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/stream", new JsonObject
        {
            ["name"] = "nested " + Guid.NewGuid(),
            ["customProperties"] = new JsonArray(new JsonObject { ["value"] = 42 }),
        });

        Assert.Equal((400, "The value of CustomPropertyValue must be text, not the number 42."), (status, text));
    }

    [Fact]
    public async Task RightValuesOfEachKindAreTaken()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode tag = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = "kinds " + Guid.NewGuid() }, 201);
        JsonObject body = With(Rule("kinds"), $$"""
            {"version": 3, "actions": 4294967295, "disabled": true, "seedId": "{{Guid.NewGuid()}}", "ruleContext": "QMCOnly",
             "comment": null, "tags": [{"id": "{{tag["id"]}}"}]}
            """);

        JsonNode rule = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule", body, 201);

        Assert.Equal(3, (int)rule["version"]!);
        Assert.Equal(4294967295, (long)rule["actions"]!);
        Assert.Equal(2, (int)rule["ruleContext"]!);
        Assert.Equal((string?)tag["name"], (string?)rule["tags"]![0]!["name"]);
    }

    private static JsonObject Rule(string name) => new() { ["name"] = $"{name} {Guid.NewGuid()}", ["resourceFilter"] = "App_*", ["actions"] = 2 };

    private static JsonObject With(JsonObject body, string json)
    {
        foreach (var (name, value) in JsonNode.Parse(json)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        return body;
    }

    private static async Task<int> Count(QrsTestClient client) => (int)(await client.GetJsonAsync("qrs/systemrule/count"))["value"]!;

    private static async Task ListsFiltersAndSortsStillWork(QrsTestClient client)
    {
        await client.GetJsonAsync("qrs/systemrule/full?orderby=name&" + QrsTestClient.Filter("name sw 'post' or version gt 0 or disabled eq true or createdDate gt '2020-01-01T00:00:00.000Z'"));
        await client.GetJsonAsync("qrs/systemrule?orderby=version%20desc&" + QrsTestClient.Filter("tags.name eq 'Finance' or seedId eq 00000000-0000-0000-0000-000000000000"));
    }
}
