using System;
using System.Collections.Generic;
using System.Text.Json;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// Writes stored entities in the shape a QRS answer has (full or condensed), filling each reference with the
/// condensed copy of the entity it points at as that entity is now; references to deleted entities disappear.
/// </summary>
public sealed class EntityRenderer
{
    private const int MaximumDepth = 8;

    internal static readonly string[] Privileges = { "create", "read", "update", "delete", "export", "publish", "change_owner", "change_role", "export_data", "offline_access", "duplicate" };

    private readonly EntityStore _store;

    public EntityRenderer(EntityStore store) => _store = store;

    public QrsSchema Schema => _store.Schema;

    public void Write(Utf8JsonWriter writer, JsonElement stored, TypeShape shape, bool privileges, int depth = 0)
    {
        writer.WriteStartObject();
        foreach (PropertyShape property in shape.Properties)
        {
            if (property.Name == "privileges")
            {
                writer.WritePropertyName(property.Name);
                if (privileges)
                {
                    writer.WriteStartArray();
                    foreach (string privilege in Privileges)
                    {
                        writer.WriteStringValue(privilege);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteNullValue();
                }

                continue;
            }

            // A data connection's password is write-only: QRS stores it and never answers with it.
            if (!stored.TryGetProperty(property.Name, out JsonElement value) || property.Name == "password" && shape.Name.StartsWith("DataConnection", StringComparison.Ordinal))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            WriteValue(writer, value, property, privileges, depth);
        }

        writer.WriteEndObject();
    }

    public byte[] ToUtf8(JsonElement stored, TypeShape shape, bool privileges)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, stored, shape, privileges);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The values a dotted path (<c>stream.name</c>, <c>tags.name</c>, <c>customProperties.definition.name</c>)
    /// reaches from an entity, following references and fanning out over arrays. A missing or null value yields
    /// one <c>default(JsonElement)</c>, so that <c>eq null</c> can match it.
    /// </summary>
    public IEnumerable<(JsonElement Value, PropertyShape Property)> Navigate(JsonElement entity, TypeShape type, IReadOnlyList<string> path, int index = 0)
    {
        PropertyShape property = type.Property(path[index])
            ?? throw QrsException.BadRequest($"Cannot parse the expression: {type.Name} has no property '{path[index]}'.");
        bool last = index == path.Count - 1;
        if (!entity.TryGetProperty(property.Name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            yield return (default, property);
            yield break;
        }

        IEnumerable<JsonElement> items = property.IsArray && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : new[] { value };
        foreach (JsonElement item in items)
        {
            JsonElement target = item;
            TypeShape? next = null;
            if (Schema.FamilyOfType(property.Ref) is EntityFamily family)
            {
                StoredEntity? referenced = Guid.TryParse(item.GetProperty("id").GetString(), out Guid id) ? _store.Find(family, id) : null;
                if (referenced is null)
                {
                    continue;
                }

                target = referenced.Value;
                next = Schema.Type(family.Entity);
                if (last)
                {
                    // Comparing a reference itself compares its id.
                    yield return (referenced.Value.GetProperty("id"), Schema.Type(family.Entity).Property("id")!);
                    continue;
                }
            }
            else if (property.Ref is not null && Schema.Types.TryGetValue(property.Ref, out TypeShape? nested))
            {
                next = nested;
            }

            if (last)
            {
                yield return (item, property);
            }
            else if (next is null)
            {
                throw QrsException.BadRequest($"Cannot parse the expression: '{property.Name}' of {type.Name} has no properties.");
            }
            else
            {
                foreach (var reached in Navigate(target, next, path, index + 1))
                {
                    yield return reached;
                }
            }
        }
    }

    private void WriteValue(Utf8JsonWriter writer, JsonElement value, PropertyShape property, bool privileges, int depth)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullValue();
            return;
        }

        EntityFamily? family = Schema.FamilyOfType(property.Ref);
        TypeShape? nested = property.Ref is not null && Schema.Types.TryGetValue(property.Ref, out TypeShape? shape) ? shape : null;
        if (family is null && nested is null || depth >= MaximumDepth)
        {
            value.WriteTo(writer);
            return;
        }

        if (property.IsArray && value.ValueKind == JsonValueKind.Array)
        {
            writer.WriteStartArray();
            foreach (JsonElement item in value.EnumerateArray())
            {
                WriteOne(writer, item, family, nested!, privileges, depth, inArray: true);
            }

            writer.WriteEndArray();
        }
        else
        {
            WriteOne(writer, value, family, nested!, privileges, depth, inArray: false);
        }
    }

    private void WriteOne(Utf8JsonWriter writer, JsonElement value, EntityFamily? family, TypeShape shape, bool privileges, int depth, bool inArray)
    {
        if (family is null)
        {
            Write(writer, value, shape, privileges, depth + 1);
            return;
        }

        StoredEntity? referenced = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out JsonElement id) && Guid.TryParse(id.GetString(), out Guid guid)
            ? _store.Find(family, guid)
            : null;
        if (referenced is not null)
        {
            Write(writer, referenced.Value, shape, privileges, depth + 1);
        }
        else if (!inArray)
        {
            writer.WriteNullValue();
        }
    }
}
