using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Scheduling;

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

    /// <summary>What every Qlik Sense site has from installation: its nodes and services (<see cref="SiteSeeder"/>) and the default file whitelists.</summary>
    public static void SeedSiteDefaults(EntityStore store, string hostName)
    {
        DateTime installed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        EntityFamily whitelists = store.Schema.Family("fileextensionwhitelist")!;
        EnumShape libraryTypes = store.Schema.Enums["ContentLibraryType"];
        foreach (long libraryType in libraryTypes.Values)
        {
            store.Seed(whitelists, Guid.NewGuid(), new JsonObject { ["libraryType"] = libraryType, ["isDefault"] = true }, installed);
        }

        SiteSeeder.Seed(store, hostName, installed);
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

        SeedTasks(store, spec.Tasks, apps, random, NextId, NextDate);
        // The seeders that add no users come first, so that what each picks among the users stays as it was written for.
        TaggingSeeder.Seed(store, spec);
        ContentSeeder.Seed(store, spec);
        UsersSeeder.Seed(store, spec);
    }

    /// <summary>
    /// Reload tasks as a site has them: one for each of a share of the apps (in a random order; more tasks than apps
    /// start over), most enabled, most with a last run that succeeded and a few with one that failed. Every third has
    /// a daily schedule in the small hours; tasks 1, 2, 3 and 6, 7, 8 (and on, in fives) are chains of enabled tasks,
    /// each started by the success of the one before it, and every tenth runs when the ninth fails.
    /// </summary>
    private static void SeedTasks(EntityStore store, int count, List<Guid> apps, Random random, Func<Guid> nextId, Func<DateTime> nextDate)
    {
        EntityFamily Family(string name) => store.Schema.Family(name)!;
        JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };

        List<Guid> order = apps.OrderBy(_ => random.Next()).ToList();
        var tasks = new List<Guid>();
        for (int i = 1; i <= count && order.Count > 0; i++)
        {
            Guid id = nextId();
            DateTime created = nextDate();
            StoredEntity task = store.Seed(Family("reloadtask"), id, new JsonObject
            {
                ["name"] = $"Reload task {i:D4}",
                ["app"] = Ref(order[(i - 1) % order.Count]),
                ["enabled"] = random.Next(5) > 0 || i % 5 is 1 or 2 or 3,
                ["taskSessionTimeout"] = 1440,
                ["maxRetries"] = random.Next(4),
            }, created);
            tasks.Add(id);
            SeedLastRun(store, task, random.Next(6) > 0, created.AddDays(random.Next(1, 60)).AddSeconds(random.Next(86_400)), TimeSpan.FromSeconds(random.Next(5, 900)), nextId);

            if (i % 3 == 1)
            {
                int hour = 1 + random.Next(5);
                StoredEntity schedule = store.Seed(Family("schemaevent"), nextId(), new JsonObject
                {
                    ["name"] = $"Daily at {hour:D2}:00",
                    ["enabled"] = true,
                    ["reloadTask"] = Ref(id),
                    ["timeZone"] = "UTC",
                    ["daylightSavingTime"] = 0,
                    ["startDate"] = QrsDate.Format(created.Date.AddDays(1).AddHours(hour)),
                    ["expirationDate"] = "9999-01-01T00:00:00.000Z",
                    ["schemaFilterDescription"] = new JsonArray("* * - * * * * *"),
                    ["incrementDescription"] = "0 0 1 0",
                    ["incrementOption"] = 2,
                }, created);
                SetNextExecution(store, task, schedule);
            }

            (int Upstream, long State)? chain = (i % 5, i % 10) switch
            {
                (2 or 3, _) => (i - 1, 1),
                (_, 0) => (i - 1, 2),
                _ => null,
            };
            if (chain is var (upstream, state))
            {
                store.Seed(Family("compositeevent"), nextId(), new JsonObject
                {
                    ["name"] = state == 1 ? $"When Reload task {upstream:D4} succeeds" : $"When Reload task {upstream:D4} fails",
                    ["enabled"] = true,
                    ["reloadTask"] = Ref(id),
                    ["timeConstraint"] = new JsonObject { ["id"] = nextId().ToString(), ["days"] = 0, ["hours"] = 0, ["minutes"] = 360, ["seconds"] = 0 },
                    ["compositeRules"] = new JsonArray(new JsonObject { ["id"] = nextId().ToString(), ["ruleState"] = state, ["reloadTask"] = Ref(tasks[upstream - 1]) }),
                }, created);
            }
        }
    }

    /// <summary>The result of a task's last run, with its details, as the task's operational part shows it.</summary>
    private static void SeedLastRun(EntityStore store, StoredEntity task, bool succeeded, DateTime started, TimeSpan duration, Func<Guid> nextId)
    {
        DateTime stopped = started + duration;
        var details = new JsonArray();
        foreach (var (message, type, at) in new[]
        {
            ("Changing task state from NeverStarted to Triggered.", 2L, started),
            ("Changing task state from Triggered to Started.", 2L, started),
            (succeeded ? "Changing task state from Started to FinishedSuccess." : "Changing task state from Started to FinishedFail.", succeeded ? 2L : 0L, stopped),
        })
        {
            Guid detail = nextId();
            store.Seed(store.Schema.Family("executionresult/detail")!, detail, new JsonObject { ["detailsType"] = type, ["message"] = message, ["detailCreatedDate"] = QrsDate.Format(at) }, at);
            details.Add(new JsonObject { ["id"] = detail.ToString() });
        }

        Guid result = nextId();
        store.Seed(store.Schema.Family("executionresult")!, result, new JsonObject
        {
            ["taskID"] = task.Id.ToString(),
            ["executionID"] = nextId().ToString(),
            ["appID"] = task.Value.GetProperty("app").GetProperty("id").GetString(),
            ["executingNodeName"] = store.List(store.Schema.Family("servernodeconfiguration")!).Select(n => n.Value.GetProperty("hostName").GetString()).FirstOrDefault() ?? "localhost",
            ["status"] = succeeded ? 7L : 8L,
            ["startTime"] = QrsDate.Format(started),
            ["stopTime"] = QrsDate.Format(stopped),
            ["duration"] = (long)duration.TotalMilliseconds,
            ["details"] = details,
        }, stopped);
        if (store.OperationalOf(store.Schema.Type("ReloadTask"), task.Value) is (EntityFamily operational, Guid id))
        {
            store.Patch(operational, id, o => o["lastExecutionResult"] = new JsonObject { ["id"] = result.ToString() });
        }
    }

    /// <summary>The next execution of a seeded schedule, and of its task when the task is enabled, from now.</summary>
    private static void SetNextExecution(EntityStore store, StoredEntity task, StoredEntity schedule)
    {
        string next = ScheduleCalendar.Next(schedule.Value, DateTime.UtcNow) is DateTime at ? QrsDate.Format(at) : QrsDate.Never;
        if (store.OperationalOf(store.Schema.Type("SchemaEvent"), schedule.Value) is (EntityFamily operational, Guid id))
        {
            store.Patch(operational, id, o => o["nextExecution"] = next);
        }

        if (task.Value.GetProperty("enabled").GetBoolean() && store.OperationalOf(store.Schema.Type("ReloadTask"), task.Value) is (EntityFamily taskOperational, Guid taskOperationalId))
        {
            store.Patch(taskOperational, taskOperationalId, o => o["nextExecution"] = next);
        }
    }

    /// <summary>Stream names as a site has them: each word once (<c>Finance</c> first), then numbered (<c>Finance 2</c>) once the words run out.</summary>
    private static string StreamName(int index) =>
        index < s_words.Length ? s_words[index] : $"{s_words[index % s_words.Length]} {index / s_words.Length + 1}";
}
