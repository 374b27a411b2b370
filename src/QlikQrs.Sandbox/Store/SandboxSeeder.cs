using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>How big a site to build: <c>users=100000,apps=5000,streams=50,tasks=2000,tags=200</c>.</summary>
public sealed record SeedSpec(int Users = 0, int Apps = 0, int Streams = 0, int Tasks = 0, int Tags = 0, int RandomSeed = 4242)
{
    public static SeedSpec Parse(string text)
    {
        var spec = new SeedSpec();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pair = part.Split('=', 2);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                throw new ArgumentException($"'{part}' is not name=count.");
            }

            spec = pair[0].ToLowerInvariant() switch
            {
                "users" => spec with { Users = count },
                "apps" => spec with { Apps = count },
                "streams" => spec with { Streams = count },
                "tasks" => spec with { Tasks = count },
                "tags" => spec with { Tags = count },
                "seed" => spec with { RandomSeed = count },
                _ => throw new ArgumentException($"'{pair[0]}' cannot be seeded (users, apps, streams, tasks, tags, seed)."),
            };
        }

        return spec;
    }
}

/// <summary>
/// Builds a realistic site from a seed, the same every time for the same spec: users in directories, streams,
/// tags, apps owned by users and published to streams, reload tasks for apps. The first streams carry names that
/// the README and the help examples use: <c>Finance</c>, <c>Sales</c>, <c>Supply</c>...
/// </summary>
public static class SandboxSeeder
{
    private static readonly string[] s_directories = { "CORP", "EMEA", "AMER" };
    private static readonly string[] s_words = { "Finance", "Sales", "Supply", "HR", "Marketing", "Operations", "Risk", "Logistics", "Retail", "Quality" };

    /// <summary>What every Qlik Sense site has from installation: a central node and the default file whitelists.</summary>
    public static void SeedSiteDefaults(EntityStore store, string hostName)
    {
        DateTime installed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        EntityFamily whitelists = store.Schema.Family("fileextensionwhitelist")!;
        EnumShape libraryTypes = store.Schema.Enums["ContentLibraryType"];
        foreach (long libraryType in libraryTypes.Values)
        {
            store.Seed(whitelists, Guid.NewGuid(), new JsonObject { ["libraryType"] = libraryType, ["isDefault"] = true }, installed);
        }

        store.Seed(store.Schema.Family("servernodeconfiguration")!, Guid.NewGuid(), new JsonObject
        {
            ["name"] = "Central",
            ["hostName"] = hostName,
            ["isCentral"] = true,
            ["engineEnabled"] = true,
            ["proxyEnabled"] = true,
            ["printingEnabled"] = true,
            ["schedulerEnabled"] = true,
        }, installed);
    }

    /// <summary>The default whitelist for a kind of library (ContentLibrary, AppContent, SharedContent, Extension).</summary>
    public static Guid DefaultWhitelist(EntityStore store, string libraryType)
    {
        long wanted = store.Schema.Enums["ContentLibraryType"].ValueOf(libraryType) ?? throw new ArgumentOutOfRangeException(nameof(libraryType));
        return store.List(store.Schema.Family("fileextensionwhitelist")!).First(w => w.Value.GetProperty("libraryType").GetInt64() == wanted).Id;
    }

    public static void Seed(EntityStore store, SeedSpec spec)
    {
        var random = new Random(spec.RandomSeed);
        DateTime start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Guid NextId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        DateTime NextDate() => start.AddSeconds(random.Next(0, 60 * 60 * 24 * 365)).AddMilliseconds(random.Next(1000));

        EntityFamily Family(string name) => store.Schema.Family(name)!;
        JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };

        var users = new List<Guid>();
        for (int i = 1; i <= spec.Users; i++)
        {
            Guid id = NextId();
            string directory = s_directories[i % s_directories.Length];
            store.Seed(Family("user"), id, new JsonObject
            {
                ["userId"] = $"user{i:D6}",
                ["userDirectory"] = directory,
                ["name"] = $"User {i:D6} {s_words[i % s_words.Length]}",
            }, NextDate());
            users.Add(id);
        }

        if (users.Count == 0 && spec.Apps + spec.Streams + spec.Tasks > 0)
        {
            users.Add(store.EnsureUser(new QrsUser("INTERNAL", "sa_api")));
        }

        var tags = Enumerable.Range(1, spec.Tags).Select(i =>
        {
            Guid id = NextId();
            store.Seed(Family("tag"), id, new JsonObject { ["name"] = $"{s_words[i % s_words.Length]}-{i:D3}" }, NextDate());
            return id;
        }).ToList();

        var streams = Enumerable.Range(0, spec.Streams).Select(i =>
        {
            Guid id = NextId();
            store.Seed(Family("stream"), id, new JsonObject
            {
                ["name"] = StreamName(i),
                ["owner"] = Ref(users[random.Next(users.Count)]),
            }, NextDate());
            return id;
        }).ToList();

        var apps = new List<Guid>();
        for (int i = 1; i <= spec.Apps; i++)
        {
            Guid id = NextId();
            bool published = streams.Count > 0 && random.Next(3) > 0;
            DateTime created = NextDate();
            var app = new JsonObject
            {
                ["name"] = $"{s_words[i % s_words.Length]} dashboard {i:D4}",
                ["appId"] = string.Empty,
                ["owner"] = Ref(users[random.Next(users.Count)]),
                ["published"] = published,
                ["stream"] = published ? Ref(streams[random.Next(streams.Count)]) : null,
                ["publishTime"] = published ? QrsDate.Format(created.AddDays(1)) : QrsDate.Never,
                ["fileSize"] = random.Next(10_000, 50_000_000),
                ["lastReloadTime"] = QrsDate.Format(created.AddHours(random.Next(1, 2000))),
                ["tags"] = new JsonArray(tags.Count == 0 ? Array.Empty<JsonNode>() : Enumerable.Range(0, random.Next(3)).Select(_ => (JsonNode)Ref(tags[random.Next(tags.Count)])).DistinctBy(n => n.ToJsonString()).ToArray()),
            };
            store.Seed(Family("app"), id, app, created);
            apps.Add(id);
        }

        for (int i = 1; i <= spec.Tasks && apps.Count > 0; i++)
        {
            Guid app = apps[random.Next(apps.Count)];
            store.Seed(Family("reloadtask"), NextId(), new JsonObject
            {
                ["name"] = $"Reload task {i:D4}",
                ["app"] = Ref(app),
                ["enabled"] = random.Next(5) > 0,
                ["taskSessionTimeout"] = 1440,
                ["maxRetries"] = random.Next(4),
            }, NextDate());
        }
    }

    /// <summary>Stream names as a site has them: each word once (<c>Finance</c> first), then numbered (<c>Finance 2</c>) once the words run out.</summary>
    private static string StreamName(int index) =>
        index < s_words.Length ? s_words[index] : $"{s_words[index % s_words.Length]} {index / s_words.Length + 1}";
}
