using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// The people side of a seeded site: the user directories (INTERNAL, the CORP, EMEA and AMER directories the seeded
/// users live in, and LDAP, synced by a user sync task, with an administrator, a content administrator and plain
/// users), security rules for those roles, and a license with professional and analyzer allocations, some of them
/// unused for months. Seeding again adds nothing twice.
/// </summary>
public static class UsersSeeder
{
    /// <summary>The synced directory whose sync adds, changes and removes users.</summary>
    public const string SyncedDirectory = "LDAP";

    /// <summary>The pseudo family the site's one license is kept in (QRS has no list of licenses).</summary>
    public static readonly EntityFamily LicenseFamily = new("license", "License", "License", new HashSet<string> { "get", "create", "update", "delete" });

    private const long AllActions = 8191;

    private static readonly (string Directory, string Type)[] s_directories =
    {
        ("INTERNAL", UserDirectoryConnectors.Internal),
        ("CORP", UserDirectoryConnectors.ActiveDirectory),
        ("EMEA", UserDirectoryConnectors.ActiveDirectory),
        ("AMER", UserDirectoryConnectors.ActiveDirectory),
        (SyncedDirectory, UserDirectoryConnectors.GenericLdap),
    };

    private static readonly (string Name, string Category, string Filter, string Rule, long Actions)[] s_rules =
    {
        ("RootAdmin", "Security", "*", "((user.roles=\"RootAdmin\"))", AllActions),
        ("ServiceAccount", "Security", "*", "((user.userDirectory=\"INTERNAL\" and user.userId like \"sa_*\"))", AllActions),
        ("ContentAdmin", "Security", "App_*, Stream_*, ReloadTask_*", "((user.roles=\"ContentAdmin\"))", 1 | 2 | 4 | 8 | 32 | 64),
        ("Owner", "Security", "App_*, Stream_*", "((resource.owner = user))", 2 | 4 | 8 | 32),
        ("PublishedApps", "Security", "App_*", "((resource.published=\"true\"))", 2),
        ("StreamReaders", "Security", "Stream_*", "((user.userDirectory like \"*\"))", 2),
        ("Developers", "License", "License.ProfessionalAccessGroup_*", "((user.roles=\"ContentAdmin\"))", 2),
        ("PublishedAppsToNodes", "Sync", "App_*", "((resource.published=\"true\"))", 2),
    };

    public static void Seed(EntityStore store, SeedSpec spec)
    {
        EntityFamily Family(string name) => store.Schema.Family(name)!;
        JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };
        DateTime now = DateTime.UtcNow;
        DateTime installed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        bool seededBefore = store.List(Family("userdirectory")).Any(d => d.Value.GetProperty("userDirectoryName").GetString() == SyncedDirectory);
        var random = new Random(spec.RandomSeed + 1300);
        Guid NextId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        var directories = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (StoredEntity existing in store.List(Family("userdirectory")))
        {
            directories[existing.Value.GetProperty("userDirectoryName").GetString() ?? string.Empty] = existing.Id;
        }

        foreach ((string name, string type) in s_directories.Where(d => !directories.ContainsKey(d.Directory)))
        {
            bool synced = type != s_directories[0].Type;
            directories[name] = store.Seed(Family("userdirectory"), NextId(), new JsonObject
            {
                ["name"] = name,
                ["userDirectoryName"] = name,
                ["type"] = type,
                ["configured"] = true,
                ["operational"] = true,
                ["syncStatus"] = 0,
                ["syncLastStarted"] = synced ? QrsDate.Format(now.Date.AddHours(-22)) : QrsDate.Never,
                ["syncLastSuccessfulEnded"] = synced ? QrsDate.Format(now.Date.AddHours(-22).AddMinutes(3)) : QrsDate.Never,
                ["creationType"] = synced ? 0 : 1,
            }, installed).Id;
        }

        if (seededBefore)
        {
            return;
        }

        store.Seed(Family("usersynctask"), NextId(), new JsonObject
        {
            ["name"] = $"User synchronization {SyncedDirectory}",
            ["enabled"] = true,
            ["taskSessionTimeout"] = 1440,
            ["userDirectory"] = Ref(directories[SyncedDirectory]),
        }, installed);

        Guid LdapUser(string userId, string name, params string[] roles) =>
            store.Seed(Family("user"), NextId(), new JsonObject
            {
                ["userId"] = userId,
                ["userDirectory"] = SyncedDirectory,
                ["userDirectoryConnectorName"] = SyncedDirectory,
                ["name"] = name,
                ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray()),
            }, installed).Id;

        var licensed = new List<Guid>
        {
            LdapUser("admin", "Site Administrator", "RootAdmin"),
            LdapUser("content", "Content Administrator", "ContentAdmin"),
        };
        licensed.AddRange(Enumerable.Range(1, 10).Select(i => LdapUser($"ldapuser{i:D3}", $"LDAP User {i:D3}")));

        foreach (var (name, category, filter, rule, actions) in s_rules)
        {
            store.Seed(Family("systemrule"), NextId(), new JsonObject
            {
                ["name"] = name,
                ["category"] = category,
                ["type"] = "Custom",
                ["resourceFilter"] = filter,
                ["rule"] = rule,
                ["actions"] = actions,
                ["ruleContext"] = 0,
            }, installed);
        }

        store.Seed(LicenseFamily, NextId(), new JsonObject
        {
            ["serial"] = "9999000000001234",
            ["name"] = "Sandbox Administrator",
            ["organization"] = "QlikQrs Sandbox",
            ["lef"] = string.Empty,
            ["key"] = string.Empty,
            ["check"] = string.Empty,
            ["numberOfCores"] = 0,
            ["updated"] = QrsDate.Format(installed),
        }, installed);
        store.Seed(Family("license/professionalaccessgroup"), NextId(), new JsonObject { ["name"] = "Developers" }, installed);
        store.Seed(Family("license/loginaccesstype"), NextId(), new JsonObject { ["name"] = "Contractors", ["assignedTokens"] = 100, ["usedAccessTypes"] = 3, ["remainingAccessTypes"] = 97 }, installed);

        List<StoredEntity> users = store.List(Family("user")).ToList();
        List<Guid> OfDirectory(string directory, int count) =>
            users.Where(u => u.Value.GetProperty("userDirectory").GetString() == directory).Take(count).Select(u => u.Id).ToList();

        StoredEntity? node = store.List(Family("servernodeconfiguration")).FirstOrDefault();
        string hostName = node?.Value.GetProperty("hostName").GetString() ?? "localhost";

        // Every other allocation was last used months ago, the rest within the last days: what a clean-up looks for.
        // A recent use leaves its session's usage record, as QRS keeps one per access type (the family's ...accessusage).
        void Allocate(string kind, IEnumerable<Guid> owners)
        {
            int index = 0;
            foreach (Guid owner in owners)
            {
                bool recent = index++ % 2 == 0;
                DateTime lastUsed = recent ? now.AddDays(-random.Next(1, 10)) : now.AddDays(-random.Next(100, 300));
                Guid allocation = store.Seed(Family($"license/{kind}accesstype"), NextId(), new JsonObject { ["user"] = Ref(owner), ["lastUsed"] = QrsDate.Format(lastUsed) }, lastUsed.AddDays(-30)).Id;
                if (recent)
                {
                    store.Seed(Family($"license/{kind}accessusage"), NextId(), new JsonObject
                    {
                        ["useStartTime"] = QrsDate.Format(lastUsed.AddHours(-1)),
                        ["latestActivity"] = QrsDate.Format(lastUsed),
                        ["hostName"] = hostName,
                        ["serverNodeConfigurationId"] = node?.Id.ToString(),
                        ["sessionID"] = NextId().ToString("N"),
                        [$"{kind}AccessType"] = Ref(allocation),
                    }, lastUsed.AddHours(-1));
                }
            }
        }

        Allocate("professional", licensed.Take(6).Concat(OfDirectory("CORP", 6)));
        Allocate("analyzer", licensed.Skip(6).Concat(OfDirectory("EMEA", 10)));
        Allocate("user", OfDirectory("AMER", 4));
    }
}
