using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// Custom property definitions with choices, as sites have them, and values on some of the seeded apps, streams and
/// users: <c>Department</c> (apps, streams, users: Finance, Sales, Supply, HR, Marketing), <c>Criticality</c> (apps:
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

    /// <summary>Gives the first <paramref name="limit"/> entities without values a random choice of each definition, every so many of them.</summary>
    private static void GiveValues(EntityStore store, string familyName, int limit, Random random, System.Collections.Generic.Dictionary<string, Guid> ids, params (string Definition, int Every)[] values)
    {
        EntityFamily family = store.Schema.Family(familyName)!;
        int index = 0;
        foreach (StoredEntity entity in store.List(family).Take(limit).ToArray())
        {
            index++;
            if (entity.Value.TryGetProperty("customProperties", out JsonElement existing) && existing.GetArrayLength() > 0)
            {
                continue;
            }

            var given = new JsonArray();
            foreach ((string definition, int every) in values)
            {
                if (index % every != 0)
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

            if (given.Count > 0)
            {
                store.Patch(family, entity.Id, e => e["customProperties"] = given);
            }
        }
    }
}
