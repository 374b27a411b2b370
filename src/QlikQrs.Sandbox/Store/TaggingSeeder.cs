using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// Custom property definitions with choices, as sites have them, and values on some of the seeded apps, streams and
/// users (the last seeded ones): <c>Department</c> (apps, streams, users: Finance, Sales, Supply, HR, Marketing), <c>Criticality</c> (apps:
/// Low, Medium, High) and <c>Region</c> (streams, users: EMEA, AMER, APAC). A definition that exists already is kept,
/// so growing a site adds none twice; entities that have values already are left as they are.
/// </summary>
public static class TaggingSeeder
{
    // Its own sequence of random numbers, so that what the seeder made before it stays exactly as it was.
    private const int RandomOffset = 1300;

    private const int UsersGivenValues = 200;

    private static readonly (string Name, string Description, string[] ObjectTypes, string[] Choices)[] s_definitions =
    {
        ("Department", "The department that owns it", new[] { "App", "Stream", "User" }, new[] { "Finance", "Sales", "Supply", "HR", "Marketing" }),
        ("Criticality", "How much the business depends on the app", new[] { "App" }, new[] { "Low", "Medium", "High" }),
        ("Region", "Where its people work", new[] { "Stream", "User" }, new[] { "EMEA", "AMER", "APAC" }),
    };

    public static void Seed(EntityStore store, SeedSpec spec)
    {
        var random = new Random(spec.RandomSeed + RandomOffset);
        DateTime installed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        EntityFamily definitions = store.Schema.Family("custompropertydefinition")!;
        var ids = s_definitions.ToDictionary(d => d.Name, d =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            StoredEntity? existing = store.List(definitions).FirstOrDefault(e => e.Value.GetProperty("name").GetString() == d.Name);
            return existing?.Id ?? store.Seed(definitions, new Guid(bytes), new JsonObject
            {
                ["name"] = d.Name,
                ["description"] = d.Description,
                ["valueType"] = "Text",
                ["objectTypes"] = new JsonArray(d.ObjectTypes.Select(t => (JsonNode)t).ToArray()),
                ["choiceValues"] = new JsonArray(d.Choices.Select(c => (JsonNode)c).ToArray()),
            }, installed).Id;
        });

        GiveValues(store, "app", int.MaxValue, random, ids, ("Department", 3), ("Criticality", 4));
        GiveValues(store, "stream", int.MaxValue, random, ids, ("Department", 2), ("Region", 1));
        GiveValues(store, "user", UsersGivenValues, random, ids, ("Department", 5), ("Region", 7));
    }

    /// <summary>
    /// Gives the last <paramref name="limit"/> entities of the family that have no values yet a random choice of each
    /// definition, every so many of them. Each is stored again as the seeder stores it, its dates as they were, so the
    /// same seed builds the same site; those after the first one changed are stored again too, unchanged, so that the
    /// family keeps its order.
    /// </summary>
    private static void GiveValues(EntityStore store, string familyName, int limit, Random random, System.Collections.Generic.Dictionary<string, Guid> ids, params (string Definition, int Every)[] values)
    {
        EntityFamily family = store.Schema.Family(familyName)!;
        StoredEntity[] all = store.List(family).ToArray();
        int index = 0;
        bool storing = false;
        foreach (StoredEntity entity in all.Skip(Math.Max(0, all.Length - limit)))
        {
            index++;
            JsonObject stored = JsonNode.Parse(entity.Value.GetRawText())!.AsObject();
            var given = new JsonArray();
            bool valued = entity.Value.TryGetProperty("customProperties", out JsonElement existing) && existing.GetArrayLength() > 0;
            foreach ((string definition, int every) in values)
            {
                if (valued || index % every != 0)
                {
                    continue;
                }

                string[] choices = s_definitions.First(d => d.Name == definition).Choices;
                var bytes = new byte[16];
                random.NextBytes(bytes);
                string created = entity.Value.GetProperty("createdDate").GetString()!;
                given.Add(new JsonObject
                {
                    ["id"] = new Guid(bytes).ToString(),
                    ["createdDate"] = created,
                    ["modifiedDate"] = created,
                    ["modifiedByUserName"] = QrsUser.ServiceAccount.ToString(),
                    ["schemaPath"] = "CustomPropertyValue",
                    ["value"] = choices[random.Next(choices.Length)],
                    ["definition"] = new JsonObject { ["id"] = ids[definition].ToString() },
                });
            }

            storing |= given.Count > 0;
            if (!storing)
            {
                continue;
            }

            if (given.Count > 0)
            {
                stored["customProperties"] = given;
            }

            QrsDate.TryParse(entity.Value.GetProperty("createdDate").GetString(), out DateTime createdUtc);
            store.Seed(family, entity.Id, stored, createdUtc);
        }
    }
}
