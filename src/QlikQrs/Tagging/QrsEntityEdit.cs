using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tagging;

/// <summary>
/// A change to what any kind of entity may carry (tags, custom property values, an owner), made the way QRS takes it:
/// the entity is read in full, changed as its JSON (so every other property, also those this module does not know,
/// goes back exactly as it came) and saved with the modifiedDate it was read with. When someone else saved the
/// entity in between, QRS refuses the save (409); it is read again and the change made on what is there now.
/// </summary>
public static class QrsEntityEdit
{
    private const int Attempts = 3;

    /// <summary>
    /// Applies <paramref name="change"/> (false: nothing to change, and nothing is sent) to the entity's JSON and
    /// saves it; returns the saved entity, or the entity as read when nothing changed, and whether it was saved.
    /// </summary>
    public static async Task<(QrsEntity Entity, bool Saved)> ApplyAsync(QrsClient client, QrsEntityFamily family, Guid id, Func<JsonObject, bool> change, CancellationToken cancellation)
    {
        for (int attempt = 1; ; attempt++)
        {
            QrsEntity fresh = await client.GetAsync(family, id, cancellation: cancellation).ConfigureAwait(false);
            JsonObject json = JsonSerializer.SerializeToNode(fresh, fresh.GetType(), QrsJson.Options)!.AsObject();
            if (!change(json))
            {
                return (fresh, false);
            }

            try
            {
                return (await client.UpdateAsync(family, id, Encoding.UTF8.GetBytes(json.ToJsonString()), cancellation).ConfigureAwait(false), true);
            }
            catch (QrsRequestException exception) when (exception.ErrorId == "QrsConflict" && attempt < Attempts)
            {
                // Saved by someone else since it was read: their change stays, this one is made again on top of it.
            }
        }
    }

    /// <summary>Whether entities of <paramref name="family"/> carry <paramref name="property"/> (Tags, CustomProperties, Owner).</summary>
    public static bool Carries(QrsEntityFamily family, string property) => family.EntityType.GetProperty(property) is not null;

    /// <summary>Adds references to <paramref name="ids"/> to the array <paramref name="property"/> (tags); false when it holds them all already.</summary>
    public static bool AddReferences(JsonObject entity, string property, IEnumerable<Guid> ids)
    {
        JsonArray items = ArrayOf(entity, property);
        var present = new HashSet<Guid>(items.Select(IdOf).OfType<Guid>());
        bool changed = false;
        foreach (Guid id in ids.Where(present.Add))
        {
            items.Add(new JsonObject { ["id"] = id.ToString() });
            changed = true;
        }

        return changed;
    }

    /// <summary>Removes the items of the array <paramref name="property"/> that <paramref name="remove"/> picks; false when it picks none.</summary>
    public static bool RemoveItems(JsonObject entity, string property, Func<JsonObject, bool> remove)
    {
        JsonArray items = ArrayOf(entity, property);
        JsonNode?[] gone = items.Where(i => i is JsonObject item && remove(item)).ToArray();
        foreach (JsonNode? item in gone)
        {
            items.Remove(item);
        }

        return gone.Length > 0;
    }

    /// <summary>Points the reference <paramref name="property"/> (owner) at <paramref name="id"/>; false when it points there already.</summary>
    public static bool SetReference(JsonObject entity, string property, Guid id)
    {
        if (entity[property] is JsonObject current && IdOf(current) == id)
        {
            return false;
        }

        entity[property] = new JsonObject { ["id"] = id.ToString() };
        return true;
    }

    public static Guid? IdOf(JsonNode? item) => Guid.TryParse(item?["id"]?.ToString(), out Guid id) ? id : null;

    private static JsonArray ArrayOf(JsonObject entity, string property)
    {
        if (entity[property] is JsonArray items)
        {
            return items;
        }

        var created = new JsonArray();
        entity[property] = created;
        return created;
    }
}
