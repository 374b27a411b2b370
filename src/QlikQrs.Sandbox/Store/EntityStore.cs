using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// Every entity of the sandbox site, kept the way the schema describes it. An entity is an immutable JsonElement in
/// which a reference to another entity is only <c>{"id": ...}</c>: what a reader sees of the referenced entity is
/// read when it is rendered, so a renamed stream shows in its apps and a deleted tag disappears from them.
/// Reads take no lock; writes to one family are serialised.
/// </summary>
public sealed class EntityStore
{
    private const string Operational = "operational";

    private static readonly string[] s_serverFilled = { "id", "createdDate", "modifiedDate", "modifiedByUserName", "schemaPath", "privileges" };

    /// <summary>What QRS decides itself whatever a body says: the kind of a task or of a trigger follows its family.</summary>
    private static readonly Dictionary<string, (string Property, long Value)> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reloadtask"] = ("taskType", 0),
        ["externalprogramtask"] = ("taskType", 1),
        ["usersynctask"] = ("taskType", 2),
        ["schemaevent"] = ("eventType", 0),
        ["compositeevent"] = ("eventType", 1),
    };

    private readonly ConcurrentDictionary<string, FamilyTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private long _sequence;

    public EntityStore(QrsSchema schema) => Schema = schema;

    public QrsSchema Schema { get; }

    /// <summary>
    /// A client created, replaced or deleted an entity (before is null for a creation, after for a deletion); the
    /// server's own changes (<see cref="Patch"/>, <see cref="Seed"/>) are not reported.
    /// </summary>
    public event Action<EntityFamily, StoredEntity?, StoredEntity?>? Changed;

    public StoredEntity? Find(EntityFamily family, Guid id) => Table(family).Rows.TryGetValue(id, out StoredEntity? entity) ? entity : null;

    /// <summary>The family's entities in the order they were created.</summary>
    public IReadOnlyList<StoredEntity> List(EntityFamily family) => Table(family).Rows.Values.OrderBy(e => e.Sequence).ToArray();

    public int Count(EntityFamily family) => Table(family).Rows.Count;

    public StoredEntity Create(EntityFamily family, JsonObject body, QrsUser user) => CreateMany(family, [body], user)[0];

    /// <summary>POST and POST /many: every body is checked before any is stored, so a refused one leaves none of them behind.</summary>
    public IReadOnlyList<StoredEntity> CreateMany(EntityFamily family, IReadOnlyList<JsonObject> bodies, QrsUser user)
    {
        TypeShape type = Schema.Type(family.Entity);
        FamilyTable table = Table(family);
        StoredEntity[] stored;
        lock (table.WriteLock)
        {
            var created = new List<(Guid Id, JsonObject Entity)>();
            foreach (JsonObject body in bodies)
            {
                JsonObject entity = Normalise(type, body, user);
                Guid id = entity["id"] is JsonValue given && Guid.TryParse(given.ToString(), out Guid requested) && requested != Guid.Empty ? requested : Guid.NewGuid();
                if (table.Rows.ContainsKey(id) || created.Exists(c => c.Id == id))
                {
                    throw QrsException.Conflict($"An entity of type {family.Entity} with id {id} already exists.");
                }

                if (type.Property("owner") is { } owner && entity[owner.Name] is null)
                {
                    entity[owner.Name] = new JsonObject { ["id"] = EnsureUser(user).ToString() };
                }

                // The description marks every always-present property as required; what a POST must really carry are
                // the required texts (names, user ids, rules). References, numbers, flags and dates get their defaults.
                foreach (PropertyShape required in type.Required.Select(type.Property).OfType<PropertyShape>()
                    .Where(p => p is { Type: "string", IsArray: false, Ref: null, IsDate: false, IsGuid: false } && !s_serverFilled.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
                {
                    if (entity[required.Name] is null)
                    {
                        throw QrsException.BadRequest($"The property '{required.Name}' of {type.Name} is required.");
                    }
                }

                FillDefaults(type, entity);
                string now = QrsDate.Now();
                entity["id"] = id.ToString();
                entity["createdDate"] = now;
                entity["modifiedDate"] = now;
                entity["modifiedByUserName"] = user.ToString();
                entity["schemaPath"] = type.Name;
                SetKind(family, entity);
                created.Add((id, entity));
            }

            stored = created.Select(c => Store(table, c.Id, AttachOperational(type, c.Entity))).ToArray();
        }

        foreach (StoredEntity entity in stored)
        {
            Changed?.Invoke(family, null, entity);
        }

        return stored;
    }

    /// <summary>
    /// PUT: the properties in the body replace the stored ones; the body's modifiedDate must not be older than the
    /// stored one (someone else changed the entity since it was read).
    /// </summary>
    public StoredEntity Update(EntityFamily family, Guid id, JsonObject body, QrsUser user)
    {
        TypeShape type = Schema.Type(family.Entity);
        FamilyTable table = Table(family);
        StoredEntity before;
        StoredEntity updated;
        lock (table.WriteLock)
        {
            StoredEntity current = Find(family, id) ?? throw QrsException.NotFound();
            JsonObject changes = Normalise(type, body, user);
            if (body["id"] is JsonNode bodyId && (!Guid.TryParse(bodyId.ToString(), out Guid given) || given != id))
            {
                throw QrsException.BadRequest($"The id in the body ({bodyId}) is not the id in the URL ({id}).");
            }

            string storedModified = current.Value.GetProperty("modifiedDate").GetString()!;
            QrsDate.TryParse(storedModified, out DateTime stored);
            if (!QrsDate.TryParse(body["modifiedDate"]?.ToString(), out DateTime claimed) || claimed < stored)
            {
                throw QrsException.Conflict(
                    $"The {type.Name} {id} was modified at {storedModified}, after the version sent was read. Get it again and apply the change to that.");
            }

            JsonObject entity = JsonNode.Parse(current.Value.GetRawText())!.AsObject();
            foreach (var (name, value) in changes)
            {
                // The operational part is the server's: a body read before a run must not take its results away.
                if (!s_serverFilled.Contains(name, StringComparer.OrdinalIgnoreCase) && name != Operational)
                {
                    entity[name] = value?.DeepClone();
                }
            }

            entity["modifiedDate"] = QrsDate.Format(DateTime.UtcNow > stored ? DateTime.UtcNow : stored.AddMilliseconds(1));
            entity["modifiedByUserName"] = user.ToString();
            SetKind(family, entity);
            updated = Store(table, id, AttachOperational(type, entity), current.Sequence);
            before = current;
        }

        Changed?.Invoke(family, before, updated);
        return updated;
    }

    /// <summary>Deletes an entity and its operational part.</summary>
    public bool Delete(EntityFamily family, Guid id)
    {
        if (!Table(family).Rows.TryRemove(id, out StoredEntity? removed))
        {
            return false;
        }

        if (OperationalOf(Schema.Type(family.Entity), removed.Value) is (EntityFamily operational, Guid operationalId))
        {
            Table(operational).Rows.TryRemove(operationalId, out _);
        }

        Changed?.Invoke(family, removed, null);
        return true;
    }

    /// <summary>The family and id of the operational part an entity refers to (a task's last result, a trigger's next run), if it has one.</summary>
    public (EntityFamily Family, Guid Id)? OperationalOf(TypeShape type, JsonElement entity) =>
        type.Property(Operational) is { } property && Schema.FamilyOfType(property.Ref) is EntityFamily family &&
        entity.TryGetProperty(Operational, out JsonElement reference) && reference.ValueKind == JsonValueKind.Object &&
        Guid.TryParse(reference.GetProperty("id").GetString(), out Guid id)
            ? (family, id)
            : null;

    /// <summary>A change the server itself makes (a reload's result, an upload's size): no conflict check.</summary>
    public StoredEntity Patch(EntityFamily family, Guid id, Action<JsonObject> change, QrsUser? user = null)
    {
        FamilyTable table = Table(family);
        lock (table.WriteLock)
        {
            StoredEntity current = Find(family, id) ?? throw QrsException.NotFound();
            JsonObject entity = JsonNode.Parse(current.Value.GetRawText())!.AsObject();
            change(entity);
            entity["modifiedDate"] = QrsDate.Now();
            entity["modifiedByUserName"] = (user ?? QrsUser.ServiceAccount).ToString();
            return Store(table, id, entity, current.Sequence);
        }
    }

    /// <summary>Every family's entities as stored, for <c>--data</c>.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        foreach (var (name, table) in _tables)
        {
            writer.WriteStartArray(name);
            foreach (StoredEntity entity in table.Rows.Values.OrderBy(e => e.Sequence))
            {
                entity.Value.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public void Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonProperty family in document.RootElement.EnumerateObject())
        {
            FamilyTable table = _tables.GetOrAdd(family.Name, _ => new FamilyTable());
            foreach (JsonElement entity in family.Value.EnumerateArray())
            {
                Guid id = Guid.Parse(entity.GetProperty("id").GetString()!);
                table.Rows[id] = new StoredEntity(id, Interlocked.Increment(ref _sequence), entity.Clone());
            }
        }
    }

    /// <summary>The entity QRS would create from an empty body: what <c>/qrs/about/api/default/{type}</c> returns.</summary>
    public JsonObject Default(EntityFamily family) => Default(Schema.Type(family.Entity));

    public JsonObject Default(TypeShape type)
    {
        var entity = new JsonObject();
        FillDefaults(type, entity);
        entity["id"] = Guid.Empty.ToString();
        entity["schemaPath"] = type.Name;
        return entity;
    }

    /// <summary>The user entity for a caller, created on first sight as QRS does.</summary>
    public Guid EnsureUser(QrsUser user)
    {
        EntityFamily users = Schema.Family("user")!;
        FamilyTable table = Table(users);
        lock (table.WriteLock)
        {
            foreach (StoredEntity existing in table.Rows.Values)
            {
                if (string.Equals(existing.Value.GetProperty("userDirectory").GetString(), user.UserDirectory, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(existing.Value.GetProperty("userId").GetString(), user.UserId, StringComparison.OrdinalIgnoreCase))
                {
                    return existing.Id;
                }
            }

            var entity = new JsonObject { ["userDirectory"] = user.UserDirectory, ["userId"] = user.UserId, ["name"] = user.UserId };
            TypeShape type = Schema.Type(users.Entity);
            FillDefaults(type, entity);
            Guid id = Guid.NewGuid();
            string now = QrsDate.Now();
            entity["id"] = id.ToString();
            entity["createdDate"] = now;
            entity["modifiedDate"] = now;
            entity["modifiedByUserName"] = QrsUser.ServiceAccount.ToString();
            entity["schemaPath"] = type.Name;
            Store(table, id, entity);
            return id;
        }
    }

    /// <summary>
    /// Stores an entity built by the seeder: its values as given (references already reduced to ids), the rest
    /// filled with defaults, without the checks a client's POST goes through.
    /// </summary>
    public StoredEntity Seed(EntityFamily family, Guid id, JsonObject values, DateTime createdUtc)
    {
        TypeShape type = Schema.Type(family.Entity);
        FillDefaults(type, values);
        string created = QrsDate.Format(createdUtc);
        values["id"] = id.ToString();
        values["createdDate"] = created;
        values["modifiedDate"] = created;
        values["modifiedByUserName"] = QrsUser.ServiceAccount.ToString();
        values["schemaPath"] = type.Name;
        SetKind(family, values);
        return Store(Table(family), id, AttachOperational(type, values));
    }

    private static void SetKind(EntityFamily family, JsonObject entity)
    {
        if (s_kinds.TryGetValue(family.Name, out var kind))
        {
            entity[kind.Property] = kind.Value;
        }
    }

    /// <summary>
    /// QRS keeps what happens to a task or trigger (last result, next run, times triggered) in an operational entity
    /// of its own, made with it; so does each rule of a task event. Its id is derived from its owner's, so that a
    /// seed builds the same site every time.
    /// </summary>
    private JsonObject AttachOperational(TypeShape type, JsonObject entity)
    {
        if (type.Property(Operational) is { } property && Schema.FamilyOfType(property.Ref) is EntityFamily family && entity[Operational] is null &&
            Guid.TryParse(entity["id"]?.ToString(), out Guid ownerId))
        {
            byte[] bytes = ownerId.ToByteArray();
            Array.Reverse(bytes);
            Guid id = new(bytes);
            Seed(family, id, new JsonObject(), QrsDate.TryParse(entity["createdDate"]?.ToString(), out DateTime created) ? created : DateTime.UtcNow);
            entity[Operational] = new JsonObject { ["id"] = id.ToString() };
        }

        foreach (PropertyShape nested in type.Properties.Where(p => p.IsArray && p.Ref is not null && Schema.FamilyOfType(p.Ref) is null && Schema.Types.ContainsKey(p.Ref)))
        {
            foreach (JsonObject item in (entity[nested.Name] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                AttachOperational(Schema.Type(nested.Ref!), item);
            }
        }

        return entity;
    }

    private StoredEntity Store(FamilyTable table, Guid id, JsonObject entity, long? sequence = null)
    {
        var stored = new StoredEntity(id, sequence ?? Interlocked.Increment(ref _sequence), JsonSerializer.SerializeToElement(entity));
        table.Rows[id] = stored;
        return stored;
    }

    /// <summary>
    /// The body as the schema has it: property names as QRS spells them, references reduced to their id (and
    /// checked to exist), enum names turned into numbers, lengths checked. Unknown properties are dropped, as QRS does.
    /// </summary>
    private JsonObject Normalise(TypeShape type, JsonObject body, QrsUser user, int depth = 0)
    {
        var normalised = new JsonObject();
        foreach (var (name, value) in body)
        {
            PropertyShape? property = type.Property(name);
            if (property is not null)
            {
                normalised[property.Name] = NormaliseValue(type, property, value, user, depth);
            }
        }

        return normalised;
    }

    private JsonNode? NormaliseValue(TypeShape owner, PropertyShape property, JsonNode? value, QrsUser user, int depth)
    {
        if (value is null)
        {
            return null;
        }

        if (property.IsArray)
        {
            if (value is not JsonArray items)
            {
                throw QrsException.BadRequest($"The property '{property.Name}' of {owner.Name} must be an array.");
            }

            return new JsonArray(items.Select(item => NormaliseSingle(owner, property, item ?? throw QrsException.BadRequest(
                $"The {property.Name} of {owner.Name} must not hold null."), user, depth)).ToArray());
        }

        return NormaliseSingle(owner, property, value, user, depth);
    }

    private JsonNode? NormaliseSingle(TypeShape owner, PropertyShape property, JsonNode? value, QrsUser user, int depth)
    {
        if (value is null)
        {
            return null;
        }

        if (Schema.FamilyOfType(property.Ref) is EntityFamily target && depth < 8)
        {
            JsonNode? idNode = value is JsonObject reference ? reference["id"] : null;
            if (idNode is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
            {
                throw QrsException.BadRequest($"The {property.Name} of {owner.Name} must be an object with the id of a {target.Entity}, not {PropertyValues.Describe(value is JsonObject ? idNode : value)}.");
            }

            string idText = idValue.GetValue<string>();
            if (!Guid.TryParse(idText, out Guid id) || Find(target, id) is null)
            {
                throw QrsException.BadRequest($"The {property.Name} of {owner.Name} refers to {target.Entity} '{idText}', which does not exist.");
            }

            return new JsonObject { ["id"] = id.ToString() };
        }

        if (Schema.EnumOf(property) is EnumShape shape)
        {
            JsonValueKind kind = value.GetValueKind();
            if (kind == JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long numeric))
            {
                return numeric;
            }

            return (kind == JsonValueKind.String ? shape.ValueOf(value.GetValue<string>()) : null)
                ?? throw QrsException.BadRequest($"The {property.Name} of {owner.Name} must be one of {string.Join(", ", shape.Names)} or its number, not {PropertyValues.Describe(value)}.");
        }

        if (property.Ref is not null && Schema.Types.TryGetValue(property.Ref, out TypeShape? nested))
        {
            if (value is not JsonObject nestedObject)
            {
                throw QrsException.BadRequest($"The {property.Name} of {owner.Name} must be an object ({nested.Name}), not {PropertyValues.Describe(value)}.");
            }

            JsonObject child = Normalise(nested, nestedObject, user, depth + 1);
            if (nested.Property("id") is not null && (child["id"] is null || child["id"]!.ToString() == Guid.Empty.ToString()))
            {
                child["id"] = Guid.NewGuid().ToString();
            }

            FillDefaults(nested, child);
            return child;
        }

        if (PropertyValues.Mismatch(property, value) is string expected)
        {
            throw QrsException.BadRequest($"The {property.Name} of {owner.Name} must be {expected}, not {PropertyValues.Describe(value)}.");
        }

        if (property.MaxLength is int maximum && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } s && s.Length > maximum)
        {
            throw QrsException.BadRequest($"The {property.Name} of {owner.Name} is {s.Length} characters long; at most {maximum} are allowed.");
        }

        return value.DeepClone();
    }

    private void FillDefaults(TypeShape type, JsonObject entity)
    {
        foreach (PropertyShape property in type.Properties)
        {
            if (!entity.ContainsKey(property.Name))
            {
                entity[property.Name] = DefaultValue(property);
            }
        }
    }

    private JsonNode? DefaultValue(PropertyShape property)
    {
        if (property.Name == "privileges")
        {
            return null;
        }

        if (property.IsArray)
        {
            return new JsonArray();
        }

        if (Schema.EnumOf(property) is EnumShape shape)
        {
            return shape.Values.Length > 0 ? shape.Values[0] : 0;
        }

        if (property.Ref is not null)
        {
            return null;
        }

        return property.Type switch
        {
            "string" when property.IsDate => QrsDate.Never,
            "string" when property.IsGuid => Guid.Empty.ToString(),
            "string" => string.Empty,
            "integer" or "number" => 0,
            "boolean" => false,
            _ => null,
        };
    }

    private FamilyTable Table(EntityFamily family) => _tables.GetOrAdd(family.Name, _ => new FamilyTable());

    private sealed class FamilyTable
    {
        public object WriteLock { get; } = new();

        public ConcurrentDictionary<Guid, StoredEntity> Rows { get; } = new();
    }
}

public sealed record StoredEntity(Guid Id, long Sequence, JsonElement Value);
