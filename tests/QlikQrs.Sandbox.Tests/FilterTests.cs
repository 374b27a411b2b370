using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class FilterTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public FilterTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<string[]> Names(QrsTestClient client, string family, string filter) =>
        (await client.GetJsonAsync($"qrs/{family}/full?" + QrsTestClient.Filter(filter))).AsArray().Select(e => (string)e!["name"]!).ToArray();

    [Fact]
    public async Task MatchesQuotesAndNonAsciiTextCaseInsensitively()
    {
        using QrsTestClient client = _sandbox.Client();
        string unique = Guid.NewGuid().ToString("N");
        await client.SendJsonAsync(HttpMethod.Post, "qrs/tag", new JsonObject { ["name"] = $"O'Brien Zoë {unique}" }, 201);

        Assert.Single(await Names(client, "tag", $"name eq 'o\\'brien zoë {unique}'"));
        Assert.Single(await Names(client, "tag", $"name sw 'O\\'Brien' and name ew '{unique.ToUpperInvariant()}'"));
        Assert.Single(await Names(client, "tag", $"name so 'ZOË {unique}'"));
        Assert.Empty(await Names(client, "tag", $"name eq 'OBrien Zoë {unique}'"));
    }

    [Fact]
    public async Task FollowsDottedPathsThroughReferencesAndArrays()
    {
        using QrsTestClient client = _sandbox.Client();
        var apps = (await client.GetJsonAsync("qrs/app/full?" + QrsTestClient.Filter("published eq true"))).AsArray();
        JsonNode app = apps.First(a => a!["tags"]!.AsArray().Count > 0)!;
        string stream = (string)app["stream"]!["name"]!;
        string tag = (string)app["tags"]![0]!["name"]!;

        string[] byStream = await Names(client, "app", $"stream.name eq '{stream}'");
        string[] byTag = await Names(client, "app", $"tags.name eq '{tag}'");
        string[] byOwner = await Names(client, "app", $"owner.userDirectory eq '{app["owner"]!["userDirectory"]}' and owner.userId eq '{app["owner"]!["userId"]}'");

        Assert.Contains((string)app["name"]!, byStream);
        Assert.All(byStream, n => Assert.Contains(apps, a => (string)a!["name"]! == n && (string?)a["stream"]?["name"] == stream));
        Assert.Contains((string)app["name"]!, byTag);
        Assert.Contains((string)app["name"]!, byOwner);
    }

    [Fact]
    public async Task ComparesNullGuidsDatesBooleansAndParentheses()
    {
        using QrsTestClient client = _sandbox.Client();
        var all = (await client.GetJsonAsync("qrs/app/full")).AsArray();
        JsonNode some = all[3]!;

        Assert.Equal(all.Count(a => a!["stream"] is null), (await Names(client, "app", "stream eq null")).Length);
        Assert.Equal(all.Count(a => a!["stream"] is not null), (await Names(client, "app", "stream ne null")).Length);
        Assert.Equal(new[] { (string)some["name"]! }, await Names(client, "app", $"id eq {some["id"]}"));
        string created = (string)some["createdDate"]!;
        Assert.Equal(all.Count(a => string.CompareOrdinal((string)a!["createdDate"]!, created) >= 0), (await Names(client, "app", $"createdDate ge '{created}'")).Length);
        Assert.Equal(
            all.Count(a => (bool)a!["published"]! && (string?)a["stream"]?["id"] == (string?)some["stream"]?["id"] || (string)a["name"]! == (string)some["name"]!),
            (await Names(client, "app", $"(published eq true and stream.id eq {some["stream"]?["id"] ?? Guid.Empty.ToString()}) or name eq '{some["name"]}'")).Length);
    }

    [Fact]
    public async Task ComparesEnumsByName()
    {
        using QrsTestClient client = _sandbox.Client();
        var apps = (await client.GetJsonAsync("qrs/app/full")).AsArray();

        Assert.Equal(apps.Count, (await Names(client, "app", "availabilityStatus eq NotApplicable")).Length);
        Assert.Empty(await Names(client, "app", "availabilityStatus eq Available"));
    }

    [Theory]
    [InlineData("name eq")]
    [InlineData("name equals 'x'")]
    [InlineData("(name eq 'x'")]
    [InlineData("name eq 'x")]
    [InlineData("nosuchproperty eq 'x'")]
    [InlineData("availabilityStatus eq NoSuchStatus")]
    public async Task ABadFilterIs400(string filter)
    {
        using QrsTestClient client = _sandbox.Client();
        var (status, text) = await client.SendAsync(HttpMethod.Get, "qrs/app?" + QrsTestClient.Filter(filter));

        Assert.Equal(400, status);
        Assert.StartsWith("Cannot parse the expression", text);
    }

    [Fact]
    public async Task OrdersByAPathDescending()
    {
        using QrsTestClient client = _sandbox.Client();
        string[] names = (await client.GetJsonAsync("qrs/app?orderby=" + Uri.EscapeDataString("name desc"))).AsArray().Select(a => (string)a!["name"]!).ToArray();

        Assert.Equal(names.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), names);
    }
}
