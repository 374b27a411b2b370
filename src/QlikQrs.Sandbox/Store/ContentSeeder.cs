using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// The content of a seeded site, from a random of its own so that the rest of the seed stays as it was: app objects
/// on every app (base sheets and a story, approved where the app is published; community sheets some users
/// published; private sheets and bookmarks), content libraries with files, extensions, and data connections of
/// several kinds, some with a user and a password.
/// </summary>
public static class ContentSeeder
{
    private const int RandomOffset = 14;

    private static readonly (string Name, string[] Files)[] s_libraries =
    {
        ("Default", new[] { "logo.png", "background.jpg" }),
        ("Logos", new[] { "company-logo.png", "company-logo-dark.png", "favicon.ico" }),
        ("Finance images", new[] { "budget-header.png", "images/chart-legend.png" }),
    };

    private static readonly string[] s_extensions = { "kpi-tile", "org-chart", "bullet-gauge" };

    private static readonly (string Name, string Type, string ConnectionString, string? User)[] s_connections =
    {
        ("DataFiles", "folder", @"C:\ProgramData\Qlik\Sense\Apps\DataFiles", null),
        ("Sales DW", "OLEDB", "Provider=SQLOLEDB.1;Data Source=sqlprod01;Initial Catalog=SalesDW", @"CORP\svc_sales"),
        ("Finance ODBC", "ODBC", "ODBC CONNECT TO [Finance];", @"CORP\svc_finance"),
        ("Weather API", "QvRestConnector.exe", "CUSTOM CONNECT TO \"provider=QvRestConnector.exe;url=https://weather.example.com/api;timeout=30;method=GET;\"", null),
        ("Exchange rates", "internet", "https://rates.example.com/daily.csv", null),
        ("Archive", "folder", @"\\fileserver\archive\qlik", null),
    };

    public static void Seed(EntityStore store, SeedSpec spec)
    {
        EntityFamily Family(string name) => store.Schema.Family(name)!;
        List<StoredEntity> apps = store.List(Family("app")).ToList();
        if (apps.Count == 0)
        {
            return;
        }

        var random = new Random(spec.RandomSeed + RandomOffset);
        DateTime start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Guid NextId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        DateTime NextDate() => start.AddSeconds(random.Next(0, 60 * 60 * 24 * 365)).AddMilliseconds(random.Next(1000));
        JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };
        List<Guid> users = store.List(Family("user")).Select(u => u.Id).ToList();
        Guid RandomUser() => users[random.Next(users.Count)];

        // A store seeded without the site's defaults has no whitelists; its libraries then have none either.
        JsonObject? WhiteList(string libraryType) =>
            store.Count(Family("fileextensionwhitelist")) == 0 ? null : Ref(SandboxSeeder.DefaultWhitelist(store, libraryType));

        foreach (StoredEntity app in apps)
        {
            SeedAppObjects(store, app, random, NextId, NextDate, RandomUser);
        }

        foreach (var (name, files) in s_libraries)
        {
            Guid id = NextId();
            store.Seed(Family("contentlibrary"), id, new JsonObject
            {
                ["name"] = name,
                ["type"] = "Custom",
                ["owner"] = Ref(RandomUser()),
                ["whiteList"] = WhiteList("ContentLibrary"),
                ["references"] = References(store, $"/content/{name}", files, random, NextId, NextDate),
            }, NextDate());
        }

        foreach (string name in s_extensions)
        {
            store.Seed(Family("extension"), NextId(), new JsonObject
            {
                ["name"] = name,
                ["owner"] = Ref(RandomUser()),
                ["whiteList"] = WhiteList("Extension"),
                ["references"] = References(store, $"/extensions/{name}", new[] { $"{name}.qext", $"{name}.js", $"{name}.css" }, random, NextId, NextDate),
            }, NextDate());
        }

        foreach (var (name, type, connectionString, user) in s_connections)
        {
            store.Seed(Family("dataconnection"), NextId(), new JsonObject
            {
                ["name"] = name,
                ["type"] = type,
                ["connectionstring"] = connectionString,
                ["owner"] = Ref(RandomUser()),
                ["username"] = user ?? string.Empty,
                ["password"] = user is null ? string.Empty : "Seeded-" + NextId().ToString("N")[..12],
                ["logOn"] = 0,
                ["architecture"] = 0,
            }, NextDate());
        }
    }

    /// <summary>
    /// An app's objects: two base sheets and, on every other app, a story, owned by the app's owner (published and
    /// approved when the app is); a community or private sheet of another user on some; a private bookmark on some.
    /// </summary>
    private static void SeedAppObjects(EntityStore store, StoredEntity app, Random random, Func<Guid> nextId, Func<DateTime> nextDate, Func<Guid> randomUser)
    {
        bool published = app.Value.GetProperty("published").GetBoolean();
        Guid owner = Guid.Parse(app.Value.GetProperty("owner").GetProperty("id").GetString()!);
        string publishTime = app.Value.GetProperty("publishTime").GetString()!;
        var objects = new List<(string Name, string Type, Guid Owner, bool Published, bool Approved)>
        {
            ("Overview", "sheet", owner, published, published),
            ("Details", "sheet", owner, published, published),
        };
        if (random.Next(2) == 0)
        {
            objects.Add(("Quarterly story", "story", owner, published, published));
        }

        if (random.Next(3) > 0)
        {
            bool shared = published && random.Next(3) > 0;
            objects.Add(("My analysis", "sheet", randomUser(), shared, false));
        }

        if (random.Next(2) == 0)
        {
            objects.Add(("Current selections", "bookmark", randomUser(), false, false));
        }

        foreach (var (name, type, objectOwner, isPublished, approved) in objects)
        {
            var engineId = new string(Enumerable.Range(0, 6).Select(_ => (char)('a' + random.Next(26))).ToArray());
            store.Seed(store.Schema.Family("app/object")!, nextId(), new JsonObject
            {
                ["name"] = name,
                ["objectType"] = type,
                ["engineObjectId"] = engineId,
                ["engineObjectType"] = type,
                ["app"] = new JsonObject { ["id"] = app.Id.ToString() },
                ["owner"] = new JsonObject { ["id"] = objectOwner.ToString() },
                ["published"] = isPublished,
                ["approved"] = approved,
                ["publishTime"] = isPublished ? publishTime : QrsDate.Never,
                ["size"] = random.Next(500, 40_000),
                ["contentHash"] = nextId().ToString("N"),
                ["description"] = string.Empty,
                ["attributes"] = string.Empty,
            }, nextDate());
        }
    }

    private static JsonArray References(EntityStore store, string logicalRoot, string[] files, Random random, Func<Guid> nextId, Func<DateTime> nextDate) =>
        new(files.Select(file =>
        {
            Guid id = nextId();
            store.Seed(store.Schema.Family("staticcontentreference")!, id, new JsonObject
            {
                ["logicalPath"] = $"{logicalRoot}/{file}",
                ["externalPath"] = file,
                ["fileName"] = file.Substring(file.LastIndexOf('/') + 1),
                ["size"] = random.Next(2_000, 200_000),
                ["staticContentDataType"] = 0,
                ["serveOptions"] = 0,
            }, nextDate());
            return (JsonNode)new JsonObject { ["id"] = id.ToString() };
        }).ToArray());
}
