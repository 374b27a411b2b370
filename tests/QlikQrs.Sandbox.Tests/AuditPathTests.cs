using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// The audit matrix and rule previews of the security, license and sync rules, the audit's count and export, the
/// license's user actions, usage records, removal, download and default, and the user directory connector types.
/// </summary>
public sealed class AuditPathTests : IClassFixture<SandboxFixture>
{
    private const string Serial = "9999000000001234";
    private const string RightControl = "00560";
    private const string ProfessionalGroup = "License.ProfessionalAccessGroup";

    private readonly SandboxFixture _sandbox;

    public AuditPathTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TheSecurityMatrixGivesEachUserTheActionsOfTheirRoleOnEachApp()
    {
        using QrsTestClient client = _sandbox.Client();
        Dictionary<string, string> ldap = await LdapUserIds(client);
        string[] published = (await client.GetJsonAsync("qrs/app?" + QrsTestClient.Filter("published eq true"))).AsArray().Select(a => (string)a!["id"]!).ToArray();
        string[] apps = (await client.GetJsonAsync("qrs/app")).AsArray().Select(a => (string)a!["id"]!).ToArray();

        JsonNode answer = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit/matrix", new JsonObject
        {
            ["resourceType"] = "App",
            ["subjectRef"] = new JsonObject { ["resourceFilter"] = "userDirectory eq 'LDAP' and (userId eq 'admin' or userId eq 'content' or userId eq 'ldapuser001')" },
            ["resourceRef"] = new JsonObject { ["resourceFilter"] = string.Empty },
            ["actions"] = 2 | 4 | 128,
            ["subjectProperties"] = new JsonArray("userId", "userDirectory"),
            ["resourceProperties"] = new JsonArray("name"),
            ["outputObjectsPrivileges"] = 2 | 8,
        }, 201);

        Assert.Equal("AuditMatrix", (string?)answer["schemaPath"]);
        var cells = answer["matrix"]!.AsArray().Select(c => c!).ToArray();
        JsonNode[] Of(string userId) => cells.Where(c => (string?)c["subjectId"] == ldap[userId]).ToArray();
        Assert.Equal(apps.Order(), Of("admin").Select(c => (string)c["resourceId"]!).Order());
        Assert.All(Of("admin"), c => Assert.Equal(new[] { "changerole", "read", "update" }, c["audit"]!.AsObject().Select(a => a.Key).Order()));
        Assert.Equal(apps.Order(), Of("content").Select(c => (string)c["resourceId"]!).Order());
        Assert.All(Of("content"), c => Assert.Null(c["audit"]!["changerole"]));
        Assert.NotEmpty(Of("ldapuser001"));
        Assert.All(Of("ldapuser001"), c => Assert.Null(c["audit"]!["changerole"]));
        Assert.Subset(published.ToHashSet(), Of("ldapuser001").Select(c => (string)c["resourceId"]!).ToHashSet());
        Assert.Equal("ldapuser001", (string?)answer["subjects"]![ldap["ldapuser001"]]!["subjectProperties"]!["userId"]);
        Assert.Equal(apps.Length, answer["resources"]!.AsObject().Count);
        Assert.NotNull((string?)answer["resources"]![apps[0]]!["resourceProperties"]!["name"]);
        Assert.Equal(new[] { "read", "delete" }, answer["resources"]![apps[0]]!["privileges"]!.AsArray().Select(p => (string?)p));
    }

    [Fact]
    public async Task AMatrixWithAPreviewRuleEvaluatesOnlyThatCondition()
    {
        using QrsTestClient client = _sandbox.Client();
        Dictionary<string, string> ldap = await LdapUserIds(client);
        int streams = (await client.GetJsonAsync("qrs/stream")).AsArray().Count;

        JsonNode answer = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit/matrix", new JsonObject
        {
            ["resourceType"] = "Stream",
            ["subjectRef"] = new JsonObject { ["resourceFilter"] = "userDirectory eq 'LDAP'" },
            ["actions"] = 8,
            ["previewRule"] = new JsonObject { ["condition"] = "user.userId = \"ldapuser002\"" },
        }, 201);

        var cells = answer["matrix"]!.AsArray();
        Assert.Equal(streams, cells.Count);
        Assert.All(cells, c => Assert.Equal(ldap["ldapuser002"], (string?)c!["subjectId"]));
        Assert.All(cells, c => Assert.Equal(1, (int)c!["audit"]!["delete"]!));
    }

    [Fact]
    public async Task TheLicenseAndSyncMatricesAuditTheirOwnRules()
    {
        using QrsTestClient client = _sandbox.Client();
        Dictionary<string, string> ldap = await LdapUserIds(client);
        string group = (string)(await client.GetJsonAsync("qrs/license/professionalaccessgroup")).AsArray().Single()!["id"]!;
        JsonNode license = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/license/audit/matrix", new JsonObject
        {
            ["resourceType"] = ProfessionalGroup,
            ["subjectRef"] = new JsonObject { ["resourceFilter"] = "userDirectory eq 'LDAP'" },
        }, 201);
        var granted = license["matrix"]!.AsArray().Select(c => ((string)c!["subjectId"]!, (string)c["resourceId"]!)).ToArray();
        Assert.Equal(new[] { (ldap["content"], group) }, granted);

        JsonNode node = (await client.GetJsonAsync("qrs/servernodeconfiguration?" + QrsTestClient.Filter("isCentral eq true"))).AsArray().Single()!;
        string[] published = (await client.GetJsonAsync("qrs/app?" + QrsTestClient.Filter("published eq true"))).AsArray().Select(a => (string)a!["id"]!).ToArray();
        JsonNode sync = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/sync/audit/matrix", new JsonObject { ["resourceType"] = "App" }, 201);
        var synced = sync["matrix"]!.AsArray().Where(c => (string?)c!["subjectId"] == (string?)node["id"]).ToArray();
        Assert.Equal(published.Order(), synced.Select(c => (string)c!["resourceId"]!).Order());
        Assert.Equal((string?)node["name"], (string?)sync["subjects"]![(string)node["id"]!]!["subjectProperties"]!["name"]);
    }

    [Fact]
    public async Task APreviewEvaluatesTheRuleOfTheBodyWithoutSavingIt()
    {
        using QrsTestClient client = _sandbox.Client();
        Dictionary<string, string> ldap = await LdapUserIds(client);
        int rules = (int)(await client.GetJsonAsync("qrs/systemrule/count"))["value"]!;
        int streams = (await client.GetJsonAsync("qrs/stream")).AsArray().Count;
        var body = new JsonObject
        {
            ["resourceType"] = "Stream",
            ["resourceFilter"] = "Stream_*",
            ["userFilter"] = "userDirectory eq 'LDAP'",
            ["ruleConditions"] = "user.userId = \"ldapuser002\"",
            ["actions"] = 4,
        };

        JsonNode preview = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit/preview", body, 201);

        Assert.Equal("AuditPreview", (string?)preview["schemaPath"]);
        var allowed = preview["ruleApplication"]!.AsArray().Where(a => (bool)a!["allowed"]!).ToArray();
        Assert.Equal(streams, allowed.Length);
        Assert.All(allowed, a => Assert.Equal(ldap["ldapuser002"], (string?)a!["userID"]));
        Assert.Equal(Guid.Empty.ToString(), preview["rules"]!.AsObject().Single().Key);
        Assert.Equal(rules, (int)(await client.GetJsonAsync("qrs/systemrule/count"))["value"]!);

        body["ruleConditions"] = "user.userId ~ \"x\"";
        JsonNode broken = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit/preview", body, 201);
        Assert.All(broken["ruleApplication"]!.AsArray(), a => Assert.Equal((false, 1), ((bool)a!["allowed"]!, (int)a["evaluationState"]!)));
        Assert.NotEmpty(broken["ruleApplication"]!.AsArray());

        JsonNode license = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/license/audit/preview", new JsonObject
        {
            ["resourceType"] = ProfessionalGroup,
            ["userFilter"] = "userDirectory eq 'LDAP'",
            ["ruleConditions"] = "user.roles = \"RootAdmin\"",
            ["actions"] = 2,
        }, 201);
        Assert.Equal(ldap["admin"], (string?)license["ruleApplication"]!.AsArray().Single(a => (bool)a!["allowed"]!)!["userID"]);
    }

    [Fact]
    public async Task ASyncPreviewEvaluatesTheRuleForEachServerNode()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode node = (await client.GetJsonAsync("qrs/servernodeconfiguration?" + QrsTestClient.Filter("isCentral eq true"))).AsArray().Single()!;
        int apps = (await client.GetJsonAsync("qrs/app")).AsArray().Count;
        var body = new JsonObject { ["resourceType"] = "App", ["resourceFilter"] = "App_*", ["ruleConditions"] = $"node.name = \"{node["name"]}\"", ["actions"] = 2 };

        JsonNode preview = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/sync/audit/preview", body, 201);

        Assert.Equal("SyncAuditPreview", (string?)preview["schemaPath"]);
        Assert.Equal((string?)node["name"], (string?)preview["nodes"]![(string)node["id"]!]!["name"]);
        var applications = preview["ruleApplication"]!.AsArray();
        Assert.Equal(apps, applications.Count(a => (bool)a!["allowed"]! && (string?)a["nodeID"] == (string?)node["id"]));

        body["ruleConditions"] = "node.name = \"Rim node\"";
        JsonNode none = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/sync/audit/preview", body, 201);
        Assert.DoesNotContain(none["ruleApplication"]!.AsArray(), a => (bool)a!["allowed"]!);
    }

    [Fact]
    public async Task TheAuditCountsResourcesExportsTheSecurityRulesAndCountsLicenseActionsPerUser()
    {
        using QrsTestClient client = _sandbox.Client();
        int published = (int)(await client.GetJsonAsync("qrs/app/count?" + QrsTestClient.Filter("published eq true")))["value"]!;
        JsonNode count = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/audit/countresources",
            new JsonObject { ["resourceType"] = "App", ["resourceFilter"] = "published eq true" }, 201);
        Assert.Equal(published, (int)count);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Post, "qrs/systemrule/security/audit/countresources", new JsonObject { ["resourceType"] = "Nothing" })).Status);

        string[] lines = (await client.GetJsonAsync("qrs/systemrule/security/audit/export")).AsArray().Select(l => (string)l!).ToArray();
        Assert.StartsWith("Name\t", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("RootAdmin\t*\t", StringComparison.Ordinal) && l.Contains("changerole", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Developers\t", StringComparison.Ordinal));

        JsonNode actions = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/license/useractions",
            new JsonObject { ["type"] = ProfessionalGroup, ["actions"] = 2, ["userFilter"] = "userDirectory eq 'LDAP'", ["limit"] = 3 }, 201);
        var byUser = actions.AsArray().ToDictionary(a => (string)a!["user"]!["userId"]!, a => (int)a!["actionCounts"]!["read"]!);
        Assert.Equal(3, byUser.Count);
        Assert.Equal(1, byUser["content"]);
        Assert.Equal(0, byUser["admin"]);
    }

    [Fact]
    public async Task SecurityUserActionsCountWhatTheSecurityRulesGiveEachUser()
    {
        using QrsTestClient client = _sandbox.Client();
        int apps = (int)(await client.GetJsonAsync("qrs/app/count"))["value"]!;
        JsonNode actions = await client.SendJsonAsync(HttpMethod.Post, "qrs/systemrule/security/useractions",
            new JsonObject { ["type"] = "App", ["actions"] = 2, ["userFilter"] = "userDirectory eq 'LDAP'" }, 201);
        var byUser = actions.AsArray().ToDictionary(a => (string)a!["user"]!["userId"]!, a => (int)a!["actionCounts"]!["read"]!);

        Assert.All(actions.AsArray(), a => Assert.Equal("UserSecurityActions", (string?)a!["schemaPath"]));
        Assert.Equal(apps, byUser["admin"]);
        Assert.True(byUser["ldapuser001"] < apps, $"A plain user reads {byUser["ldapuser001"]} of {apps} apps.");
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Post, "qrs/systemrule/security/useractions", new JsonObject { ["type"] = "Nothing" })).Status);
    }

    [Fact]
    public async Task TheUsageRecordsOfEveryAccessTypeAreListedTogether()
    {
        using QrsTestClient client = _sandbox.Client();
        int Count(JsonNode n) => (int)n["value"]!;
        int professional = Count(await client.GetJsonAsync("qrs/license/professionalaccessusage/count"));
        int analyzer = Count(await client.GetJsonAsync("qrs/license/analyzeraccessusage/count"));
        int user = Count(await client.GetJsonAsync("qrs/license/useraccessusage/count"));
        JsonNode node = (await client.GetJsonAsync("qrs/servernodeconfiguration?" + QrsTestClient.Filter("isCentral eq true"))).AsArray().Single()!;

        var condensed = (await client.GetJsonAsync("qrs/licenseaccessusage")).AsArray();
        var full = (await client.GetJsonAsync("qrs/licenseaccessusage/full?orderby=" + Uri.EscapeDataString("latestActivity desc"))).AsArray();

        Assert.True(professional > 0 && analyzer > 0 && user > 0);
        Assert.Equal(professional + analyzer + user, condensed.Count);
        Assert.Equal(condensed.Select(u => (string)u!["id"]!).Order(), full.Select(u => (string)u!["id"]!).Order());
        Assert.All(full, u => Assert.Equal((string?)node["hostName"], (string?)u!["hostName"]));
        Assert.All(full, u => Assert.Null(u!["sessionID"]));
        string[] latest = full.Select(u => (string)u!["latestActivity"]!).ToArray();
        Assert.Equal(latest.OrderDescending(StringComparer.Ordinal), latest);

        var definition = new JsonObject
        {
            ["type"] = "LicenseAccessUsage",
            ["columns"] = new JsonArray(
                new JsonObject { ["name"] = "id", ["columnType"] = "Property", ["definition"] = "id" },
                new JsonObject { ["name"] = "host", ["columnType"] = "Property", ["definition"] = "hostName" }),
        };
        JsonNode table = await client.SendJsonAsync(HttpMethod.Post, "qrs/licenseaccessusage/table?take=2&sortcolumn=id", definition, 201);
        Assert.Equal(new[] { "id", "host" }, table["columnNames"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(full.Select(u => (string)u!["id"]!).Order(StringComparer.OrdinalIgnoreCase).Take(2), table["rows"]!.AsArray().Select(r => (string)r![0]!));
    }

    [Fact]
    public async Task TheLicenseIsDownloadedRemovedAndHasADefault()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode empty = await client.GetJsonAsync("qrs/about/api/default/license");
        Assert.Equal(("License", Guid.Empty.ToString()), ((string?)empty["schemaPath"], (string?)empty["id"]));

        string file = (string)(await client.GetJsonAsync($"qrs/license/download?serial={Serial}&control={RightControl}&user=Ada&org=Sandbox"))!;
        Assert.Contains(Serial, file);
        Assert.Contains("Ada", file);
        Assert.DoesNotContain(RightControl, file);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Get, $"qrs/license/download?serial={Serial}&control=12345&user=Ada&org=Sandbox")).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Get, $"qrs/license/download?serial={Serial}&control={RightControl}")).Status);

        JsonNode license = await client.GetJsonAsync("qrs/license");
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/license/{license["id"]}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, "qrs/license")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Delete, $"qrs/license/{license["id"]}")).Status);
        var again = new JsonObject { ["serial"] = Serial, ["name"] = "Sandbox Administrator", ["organization"] = "QlikQrs Sandbox" };
        await client.SendJsonAsync(HttpMethod.Post, $"qrs/license?control={RightControl}", again, 201);
        Assert.Equal(Serial, (string?)(await client.GetJsonAsync("qrs/license"))["serial"]);
    }

    [Fact]
    public async Task TheConnectorTypesCoverEverySeededDirectoryAndRefreshAnswersTheSame()
    {
        using QrsTestClient client = _sandbox.Client();
        var types = (await client.GetJsonAsync("qrs/userdirectory/full")).AsArray().Select(d => (string)d!["type"]!).Distinct().ToArray();

        JsonObject connectors = (await client.GetJsonAsync("qrs/userdirectoryconnector")).AsObject();
        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/userdirectoryconnector/refreshudctypes");

        Assert.All(types, t => Assert.True(connectors.ContainsKey(t), t));
        Assert.Contains(connectors["Repository.UserDirectoryConnectors.ADSI.ActiveDirectory"]!["settings"]!.AsArray(), s => (bool)s!["secret"]! && (string?)s["name"] == "Password");
        Assert.Equal(201, status);
        Assert.Equal(connectors.Select(c => c.Key).Order(), JsonNode.Parse(text)!.AsObject().Select(c => c.Key).Order());
    }

    private static async Task<Dictionary<string, string>> LdapUserIds(QrsTestClient client) =>
        (await client.GetJsonAsync("qrs/user?" + QrsTestClient.Filter("userDirectory eq 'LDAP'"))).AsArray()
            .ToDictionary(u => (string)u!["userId"]!, u => (string)u!["id"]!);
}
