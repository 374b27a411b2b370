using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>User directories, their syncs and removal, and the rules audited and previewed as QRS answers them.</summary>
public sealed class UsersTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public UsersTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TheSeededUsersLiveInRealDirectoriesAndLdapHasASyncTask()
    {
        using QrsTestClient client = _sandbox.Client();
        var directories = (await client.GetJsonAsync("qrs/userdirectory/full")).AsArray().Select(d => (string?)d!["userDirectoryName"]).ToArray();
        var users = (await client.GetJsonAsync("qrs/user/full")).AsArray();
        var tasks = (await client.GetJsonAsync("qrs/usersynctask/full")).AsArray();

        Assert.Equal(new[] { "AMER", "CORP", "EMEA", "INTERNAL", "LDAP" }, directories.Order());
        Assert.All(users, u => Assert.Contains((string?)u!["userDirectory"], directories));
        Assert.Equal("user000003", (string?)users.First(u => (string?)u!["userDirectory"] == "CORP")!["userId"]);
        Assert.Contains(tasks, t => (string?)t!["userDirectory"]!["name"] == "LDAP");
        Assert.Contains(users, u => (string?)u!["userId"] == "admin" && u["roles"]!.AsArray().Any(r => (string?)r == "RootAdmin"));
    }

    [Fact]
    public async Task ASyncMovesTheDirectoryThroughItsStatesAndAddsChangesAndRemovesUsers()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode ldap = (await client.GetJsonAsync("qrs/userdirectory/full?" + QrsTestClient.Filter("userDirectoryName eq 'LDAP'"))).AsArray().Single()!;
        int before = (await client.GetJsonAsync("qrs/user/full?" + QrsTestClient.Filter("userDirectory eq 'LDAP'"))).AsArray().Count;

        var (status, _) = await client.SendAsync(HttpMethod.Post, "qrs/userdirectoryconnector/syncuserdirectories", new JsonArray((string?)ldap["id"]));
        Assert.Equal(204, status);
        Assert.Equal(1, (int)(await client.GetJsonAsync($"qrs/userdirectory/{ldap["id"]}"))["syncStatus"]!);
        JsonNode after = await UntilIdle(client, (string)ldap["id"]!);

        Assert.NotEqual((string?)ldap["syncLastSuccessfulEnded"], (string?)after["syncLastSuccessfulEnded"]);
        var users = (await client.GetJsonAsync("qrs/user/full?" + QrsTestClient.Filter("userDirectory eq 'LDAP'"))).AsArray();
        Assert.Equal(before + 1, users.Count);
        Assert.Single(users, u => ((string?)u!["name"])!.EndsWith("(renamed)", StringComparison.Ordinal));
        Assert.Single(users, u => (bool)u!["removedExternally"]! && (bool)u["inactive"]!);
    }

    [Fact]
    public async Task DeletingADirectoryWithItsUsersLeavesNoneOfThem()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode partners = await client.SendJsonAsync(HttpMethod.Post, "qrs/userdirectory", new JsonObject { ["name"] = "PARTNERS", ["userDirectoryName"] = "PARTNERS", ["type"] = "Repository.UserDirectoryConnectors.ADSI.ActiveDirectory" }, 201);
        await client.SendJsonAsync(HttpMethod.Post, "qrs/user/many", new JsonArray(
            new JsonObject { ["userDirectory"] = "PARTNERS", ["userId"] = "p1", ["name"] = "P1" },
            new JsonObject { ["userDirectory"] = "PARTNERS", ["userId"] = "p2", ["name"] = "P2" }), 201);
        int others = (int)(await client.GetJsonAsync("qrs/user/count"))["value"]! - 2;

        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/userdirectoryconnector/deleteudandusers?userdirectoryid={partners["id"]}")).Status);

        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/user/count?" + QrsTestClient.Filter("userDirectory eq 'PARTNERS'")))["value"]!);
        Assert.Equal(others, (int)(await client.GetJsonAsync("qrs/user/count"))["value"]!);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"qrs/userdirectory/{partners["id"]}")).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Delete, "qrs/userdirectoryconnector/deleteudandusers?userdirectoryid=nope")).Status);
    }

    [Fact]
    public async Task SyncingOneUserAnswersWhetherTheDirectoryHasThem()
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.True((bool)(await client.GetJsonAsync("qrs/user/sync/LDAP/admin"))!);
        Assert.False((bool)(await client.GetJsonAsync("qrs/user/sync/LDAP/nobody"))!);
    }

    [Fact]
    public async Task TheSecurityAuditGrantsAnAdminEverythingAndAPlainUserOnlyPublishedApps()
    {
        using QrsTestClient client = _sandbox.Client();
        int apps = (int)(await client.GetJsonAsync("qrs/app/count"))["value"]!;
        int published = (int)(await client.GetJsonAsync("qrs/app/count?" + QrsTestClient.Filter("published eq true")))["value"]!;

        JsonNode admin = await Audit(client, "userId eq 'admin'");
        JsonNode plain = await Audit(client, "userId eq 'ldapuser001'");

        Assert.Equal(apps, admin["ruleApplication"]!.AsArray().Select(a => (string?)a!["resourceID"]).Distinct().Count());
        Assert.Equal(apps, admin["ruleApplication"]!.AsArray().Count(a => (string?)admin["rules"]![(string)a!["ruleID"]!]!["name"] == "RootAdmin"));
        Assert.Equal(published, plain["ruleApplication"]!.AsArray().Count);
        Assert.All(plain["ruleApplication"]!.AsArray(), a => Assert.Equal(2, (int)plain["rules"]![(string)a!["ruleID"]!]!["actions"]!));
        Assert.True(published < apps);
    }

    [Fact]
    public async Task PreviewPrivilegesAreTheCallersOwn()
    {
        using QrsTestClient admin = _sandbox.Client("LDAP", "admin");
        using QrsTestClient plain = _sandbox.Client("LDAP", "ldapuser001");
        JsonNode draft = (await admin.GetJsonAsync("qrs/app/full?" + QrsTestClient.Filter("published eq false"))).AsArray().First()!;

        var adminView = (await admin.SendJsonAsync(HttpMethod.Post, "qrs/app/previewprivileges", draft.DeepClone(), 201)).AsArray().Select(p => (string?)p).ToArray();
        var plainView = (await plain.SendJsonAsync(HttpMethod.Post, "qrs/app/previewprivileges", draft.DeepClone(), 201)).AsArray();

        Assert.Contains("delete", adminView);
        Assert.Contains("read", adminView);
        Assert.Empty(plainView);
        Assert.False((bool)(await plain.SendJsonAsync(HttpMethod.Post, "qrs/stream/previewcreateprivilege", new JsonObject { ["name"] = "x" }, 201))!);
    }

    [Fact]
    public async Task ARuleThatCannotBeReadGrantsNothingAndSaysWhy()
    {
        using QrsTestClient client = _sandbox.Client();
        await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule", new JsonObject
        {
            ["name"] = "Broken", ["category"] = "Security", ["type"] = "Custom", ["resourceFilter"] = "Stream_*", ["rule"] = "user.roles ~ \"x\"", ["actions"] = 8,
        }, 201);

        JsonNode audit = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit",
            new JsonObject { ["resourceType"] = "Stream", ["userFilter"] = "userId eq 'ldapuser002'", ["includeNonGrantingRules"] = true }, 201);

        JsonNode broken = audit["ruleApplication"]!.AsArray().First(a => (string?)audit["rules"]![(string)a!["ruleID"]!]!["name"] == "Broken")!;
        Assert.False((bool)broken["allowed"]!);
        Assert.Equal(1, (int)broken["evaluationState"]!);
        Assert.NotEmpty((string)broken["errorMessage"]!);
    }

    private static Task<JsonNode> Audit(QrsTestClient client, string userFilter) =>
        client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit", new JsonObject { ["resourceType"] = "App", ["userFilter"] = userFilter }, 201);

    private static async Task<JsonNode> UntilIdle(QrsTestClient client, string id)
    {
        for (int poll = 0; poll < 200; poll++)
        {
            JsonNode directory = await client.GetJsonAsync($"qrs/userdirectory/{id}");
            if ((int)directory["syncStatus"]! == 0)
            {
                return directory;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The sync never ended.");
    }
}
