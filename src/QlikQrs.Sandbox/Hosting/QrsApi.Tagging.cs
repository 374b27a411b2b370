using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The rules QRS keeps for tags and custom properties on every write: a tag's and a custom property definition's
/// name is unique; a custom property value must be one of its definition's choices (when it has any) and the
/// definition must list the kind of entity it is given to; a definition lists only kinds that take custom properties.
/// </summary>
public sealed partial class QrsApi
{
    private const string CustomProperties = "customProperties";

    // Checking a name and storing the entity are one step, so two clients cannot both create the same tag.
    private readonly object _taggingWrites = new();

    private async Task<bool> TryTaggingAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        (EntityFamily? family, string operation, Guid id) = (method, s) switch
        {
            ("POST", [var name]) => (Schema.Family(name), "create", Guid.Empty),
            ("POST", [var name, "many"]) => (Schema.Family(name), "createMany", Guid.Empty),
            ("PUT", [var name, var idText]) when Guid.TryParse(idText, out Guid parsed) => (Schema.Family(name), "update", parsed),
            _ => (null, string.Empty, Guid.Empty),
        };
        if (family is null || !family.Supports(operation) || !IsTaggingChecked(family))
        {
            return false;
        }

        bool privileges = QueryValues.Flag(context.Request.Query, "privileges");
        switch (operation)
        {
            case "create":
                JsonObject body = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                StoredEntity created;
                lock (_taggingWrites)
                {
                    CheckTagging(family, body, self: null, batch: []);
                    created = _store.Create(family, body, user);
                }

                await WriteEntity(context, 201, created, family, privileges);
                return true;
            case "createMany":
                JsonObject[] items = (await QrsHttp.ReadArray(context.Request, context.RequestAborted))
                    .Select(item => item as JsonObject ?? throw QrsException.BadRequest("Each item must be an object.")).ToArray();
                IReadOnlyList<StoredEntity> stored;
                lock (_taggingWrites)
                {
                    for (int i = 0; i < items.Length; i++)
                    {
                        CheckTagging(family, items[i], self: null, batch: items[..i]);
                    }

                    stored = _store.CreateMany(family, items, user);
                }

                await QrsHttp.WriteStream(context, 201, writer =>
                {
                    writer.WriteStartArray();
                    foreach (StoredEntity entity in stored)
                    {
                        _renderer.Write(writer, entity.Value, Schema.Type(family.Entity), privileges);
                    }

                    writer.WriteEndArray();
                });
                return true;
            default:
                JsonObject changes = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                StoredEntity updated;
                lock (_taggingWrites)
                {
                    CheckTagging(family, changes, self: id, batch: []);
                    updated = _store.Update(family, id, changes, user);
                }

                await WriteEntity(context, 200, updated, family, privileges);
                return true;
        }
    }

    private bool IsTaggingChecked(EntityFamily family) =>
        family.Name is "tag" or "custompropertydefinition" || Schema.Type(family.Entity).Property(CustomProperties) is not null;

    private void CheckTagging(EntityFamily family, JsonObject body, Guid? self, JsonObject[] batch)
    {
        if (family.Name is "tag" or "custompropertydefinition" && body["name"] is JsonValue nameValue && nameValue.GetValueKind() == JsonValueKind.String)
        {
            string name = nameValue.GetValue<string>();
            bool taken = _store.List(family).Any(e => e.Id != self && string.Equals(e.Value.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase))
                || batch.Any(b => string.Equals(b["name"]?.ToString(), name, StringComparison.OrdinalIgnoreCase));
            if (taken)
            {
                throw QrsException.Conflict($"A {family.Entity} named '{name}' already exists; names of {family.Entity} are unique.");
            }
        }

        if (family.Name == "custompropertydefinition" && body["objectTypes"] is JsonArray objectTypes)
        {
            foreach (string objectType in objectTypes.Select(t => t?.ToString() ?? string.Empty))
            {
                if (!Schema.Families.Any(f => string.Equals(f.Entity, objectType, StringComparison.Ordinal) && IsTaggingChecked(f) && f.Name != "custompropertydefinition" && f.Name != "tag"))
                {
                    throw QrsException.BadRequest($"'{objectType}' is not a type of entity that takes custom properties.");
                }
            }
        }

        if (body[CustomProperties] is JsonArray values)
        {
            EntityFamily definitions = Schema.Family("custompropertydefinition")!;
            foreach (JsonObject value in values.OfType<JsonObject>())
            {
                if (!Guid.TryParse(value["definition"]?["id"]?.ToString(), out Guid definitionId) || _store.Find(definitions, definitionId) is not StoredEntity definition)
                {
                    // Not a definition at all: the store's reference check says so.
                    continue;
                }

                string definitionName = definition.Value.GetProperty("name").GetString() ?? string.Empty;
                string[] appliesTo = Texts(definition.Value, "objectTypes");
                if (!appliesTo.Contains(family.Entity, StringComparer.Ordinal))
                {
                    throw QrsException.BadRequest(
                        $"The custom property '{definitionName}' does not apply to {family.Entity}; it applies to {(appliesTo.Length == 0 ? "nothing" : string.Join(", ", appliesTo))}.");
                }

                string[] choices = Texts(definition.Value, "choiceValues");
                string? given = value["value"]?.ToString();
                if (choices.Length > 0 && !choices.Contains(given, StringComparer.Ordinal))
                {
                    throw QrsException.BadRequest($"'{given}' is not a value of the custom property '{definitionName}'; its values are {string.Join(", ", choices)}.");
                }
            }
        }
    }

    private static string[] Texts(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out JsonElement items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select(i => i.GetString() ?? string.Empty).ToArray()
            : [];
}
