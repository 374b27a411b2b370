using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Filtering;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Scheduling;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>The QRS endpoints: about, and the standard endpoints of every entity family.</summary>
public sealed partial class QrsApi
{
    private const int FlushEvery = 200;

    private readonly EntityStore _store;
    private readonly EntityRenderer _renderer;

    private readonly SandboxContent _content;
    private readonly TaskRunner _tasks;

    public QrsApi(EntityStore store, SandboxContent content, TaskRunner tasks)
    {
        _store = store;
        _renderer = new EntityRenderer(store);
        _content = content;
        _tasks = tasks;
    }

    private QrsSchema Schema => _store.Schema;

    /// <summary>Answers <paramref name="path"/> (what follows <c>/qrs/</c>) for <paramref name="user"/>.</summary>
    public async Task HandleAsync(HttpContext context, string path, QrsUser user)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0].Equals("about", StringComparison.OrdinalIgnoreCase))
        {
            await About(context, segments.Skip(1).ToArray());
            return;
        }

        string[] lowered = segments.Select(s => s.ToLowerInvariant()).ToArray();
        if (await TryTaggingAsync(context, lowered, user) || await TryTaskFlowAsync(context, lowered, user) || await TryUsersAsync(context, lowered, user)
            || await TryAuditsAsync(context, lowered, user) || await TryLicensesAsync(context, lowered, user) || await TryContentAsync(context, lowered, user)
            || await TryFlowAsync(context, lowered, user) || await TrySiteAsync(context, lowered, user))
        {
            return;
        }

        for (int length = segments.Length; length > 0; length--)
        {
            if (Schema.Family(string.Join('/', segments.Take(length))) is EntityFamily family)
            {
                await Family(context, family, segments.Skip(length).ToArray(), user);
                return;
            }
        }

        throw NoSuchPath();
    }

    private async Task Family(HttpContext context, EntityFamily family, string[] rest, QrsUser user)
    {
        HttpRequest request = context.Request;
        string method = request.Method;
        string action = rest.Length == 0 ? string.Empty : rest[0].ToLowerInvariant();
        string[] allowed = (rest.Length > 1 ? null : AllowedMethods(family, action)) ?? throw NoSuchPath();
        if (!allowed.Contains(method, StringComparer.Ordinal))
        {
            throw QrsException.MethodNotAllowed(method, request.Path.Value ?? string.Empty, allowed);
        }

        bool privileges = QueryValues.Flag(request.Query, "privileges");
        switch (method, action)
        {
            case ("GET", ""):
                await WriteList(context, family, Schema.Type(family.Condensed), privileges);
                return;
            case ("GET", "full"):
                await WriteList(context, family, Schema.Type(family.Entity), privileges);
                return;
            case ("GET", "count"):
                int count = Select(family, request.Query["filter"], null).Count();
                await QrsHttp.WriteJson(context, 200, new JsonObject { ["value"] = count });
                return;
            case ("POST", ""):
                StoredEntity created = _store.Create(family, await QrsHttp.ReadObject(request, context.RequestAborted), user);
                await WriteEntity(context, 201, created, family, privileges);
                return;
            case ("POST", "many"):
                JsonArray items = await QrsHttp.ReadArray(request, context.RequestAborted);
                IReadOnlyList<StoredEntity> stored = _store.CreateMany(
                    family, items.Select(item => item as JsonObject ?? throw QrsException.BadRequest("Each item must be an object.")).ToArray(), user);
                await QrsHttp.WriteStream(context, 201, writer =>
                {
                    writer.WriteStartArray();
                    foreach (StoredEntity entity in stored)
                    {
                        _renderer.Write(writer, entity.Value, Schema.Type(family.Entity), privileges);
                    }

                    writer.WriteEndArray();
                });
                return;
            case ("POST", "table"):
                await Table(context, Schema.Type(family.Entity), Select(family, request.Query["filter"], null), await QrsHttp.ReadObject(request, context.RequestAborted));
                return;
        }

        Guid id = Guid.Parse(action);
        switch (method)
        {
            case "GET":
                await WriteEntity(context, 200, _store.Find(family, id) ?? throw QrsException.NotFound(), family, privileges);
                return;
            case "PUT":
                StoredEntity updated = _store.Update(family, id, await QrsHttp.ReadObject(request, context.RequestAborted), user);
                await WriteEntity(context, 200, updated, family, privileges);
                return;
            default:
                if (!_store.Delete(family, id))
                {
                    throw QrsException.NotFound();
                }

                context.Response.StatusCode = 204;
                return;
        }
    }

    /// <summary>What a family's path answers, from the operations the schema gives it; null where there is no such path.</summary>
    private static string[]? AllowedMethods(EntityFamily family, string action) => action switch
    {
        "" => family.Supports("create") ? ["GET", "POST"] : ["GET"],
        "full" when family.Supports("full") => ["GET"],
        "count" when family.Supports("count") => ["GET"],
        "many" when family.Supports("createMany") => ["POST"],
        "table" when family.Supports("table") => ["POST"],
        _ when Guid.TryParse(action, out _) =>
            ["GET", .. family.Supports("update") ? new[] { "PUT" } : [], .. family.Supports("delete") ? new[] { "DELETE" } : []],
        _ => null,
    };

    private IEnumerable<StoredEntity> Select(EntityFamily family, string? filterText, string? orderByText)
    {
        TypeShape type = Schema.Type(family.Entity);
        QrsFilter? filter = string.IsNullOrWhiteSpace(filterText) ? null : QrsFilter.Parse(filterText);
        IEnumerable<StoredEntity> selected = _store.List(family);
        if (filter is not null)
        {
            selected = selected.Where(e => filter.Matches(e.Value, type, _renderer));
        }

        return string.IsNullOrWhiteSpace(orderByText) ? selected : QrsOrderBy.Parse(orderByText).Apply(selected, type, _renderer);
    }

    /// <summary>
    /// Streams the list: each entity is written and flushed as it is rendered, so the first bytes leave before the
    /// last entity is read and a large site costs no more memory than a page of it.
    /// </summary>
    private Task WriteList(HttpContext context, EntityFamily family, TypeShape shape, bool privileges) =>
        WriteList(context, Select(family, context.Request.Query["filter"], context.Request.Query["orderby"]), shape, privileges);

    private async Task WriteList(HttpContext context, IEnumerable<StoredEntity> selected, TypeShape shape, bool privileges)
    {
        using IEnumerator<StoredEntity> entities = selected.GetEnumerator();
        // Evaluate the filter's first step before the status is sent, so that a bad filter is still a 400.
        bool any = entities.MoveNext();
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartArray();
        for (int written = 0; any; any = entities.MoveNext())
        {
            _renderer.Write(writer, entities.Current.Value, shape, privileges);
            if (++written % FlushEvery == 1)
            {
                writer.Flush();
                await response.BodyWriter.FlushAsync(context.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>POST .../table: the filtered <paramref name="rows"/> of <paramref name="type"/> as the definition's columns, sorted and paged.</summary>
    private async Task Table(HttpContext context, TypeShape type, IEnumerable<StoredEntity> rows, JsonObject definition)
    {
        JsonArray columns = definition["columns"] as JsonArray ?? throw QrsException.BadRequest("The table definition has no columns.");
        CheckColumns(columns);
        var query = context.Request.Query;
        if (!string.IsNullOrWhiteSpace(query["sortcolumn"]))
        {
            string column = query["sortcolumn"]!;
            JsonNode? sortColumn = columns.FirstOrDefault(c => string.Equals(c?["name"]?.ToString(), column, StringComparison.OrdinalIgnoreCase))
                ?? throw QrsException.BadRequest($"There is no column '{column}' to sort by.");
            bool ascending = QueryValues.Flag(query, "orderascending", fallback: true);
            rows = QrsOrderBy.Parse(sortColumn["definition"]!.ToString() + (ascending ? string.Empty : " desc")).Apply(rows, type, _renderer);
        }

        int skip = QueryValues.Count(query, "skip", fallback: 0);
        int take = QueryValues.Count(query, "take", fallback: 0);
        StoredEntity[] page = rows.Skip(skip).Take(take > 0 ? take : int.MaxValue).ToArray();
        await QrsHttp.WriteStream(context, 201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("schemaPath", "Table");
            writer.WriteString("id", Guid.NewGuid().ToString());
            writer.WriteStartArray("columnNames");
            foreach (JsonNode? column in columns)
            {
                writer.WriteStringValue(column?["name"]?.ToString());
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (StoredEntity entity in page)
            {
                writer.WriteStartArray();
                foreach (JsonNode? column in columns)
                {
                    WriteCell(writer, entity.Value, type, column!);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Every column an object with a text definition, and a list column's own columns the same, before a row is written.</summary>
    private static void CheckColumns(JsonArray columns)
    {
        foreach (JsonNode? column in columns)
        {
            if (column is not JsonObject shape)
            {
                throw QrsException.BadRequest($"Each column of the table definition must be an object, not {PropertyValues.Describe(column)}.");
            }

            if (shape["definition"] is not JsonValue definition || definition.GetValueKind() != JsonValueKind.String)
            {
                throw QrsException.BadRequest($"Each column of the table definition needs a text definition, not {PropertyValues.Describe(shape["definition"])}.");
            }

            if (shape["name"] is { } name && name.GetValueKind() != JsonValueKind.String)
            {
                throw QrsException.BadRequest($"The name of the column '{definition}' must be text, not {PropertyValues.Describe(name)}.");
            }

            if (shape["list"] is { } list)
            {
                CheckColumns(list as JsonArray ?? throw QrsException.BadRequest($"The list of the column '{definition}' must be an array, not {PropertyValues.Describe(list)}."));
            }
        }
    }

    private void WriteCell(Utf8JsonWriter writer, JsonElement entity, TypeShape type, JsonNode column)
    {
        string kind = column["columnType"]?.ToString() ?? "Property";
        string definition = column["definition"]?.ToString() ?? string.Empty;
        if (kind is "Property" or "1")
        {
            JsonElement value = _renderer.Navigate(entity, type, definition.Split('.')).First().Value;
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
        else if ((kind is "List" or "3") && column["list"] is JsonArray subColumns &&
            type.Property(definition) is { IsArray: true, Ref: not null } property && entity.TryGetProperty(property.Name, out JsonElement items))
        {
            // A list column names an array property of the entity itself (tags, customProperties, ...).
            EntityFamily? family = Schema.FamilyOfType(property.Ref);
            TypeShape itemType = family is null ? Schema.Type(property.Ref) : Schema.Type(family.Entity);
            writer.WriteStartArray();
            foreach (JsonElement item in items.EnumerateArray())
            {
                JsonElement? itemEntity = family is null ? item
                    : Guid.TryParse(item.GetProperty("id").GetString(), out Guid id) ? _store.Find(family, id)?.Value : null;
                if (itemEntity is JsonElement found)
                {
                    writer.WriteStartArray();
                    foreach (JsonNode? sub in subColumns)
                    {
                        WriteCell(writer, found, itemType, sub!);
                    }

                    writer.WriteEndArray();
                }
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private async Task About(HttpContext context, string[] rest)
    {
        string what = string.Join('/', rest).ToLowerInvariant();
        EntityFamily? defaultOf = what == "api/default/license" ? UsersSeeder.LicenseFamily
            : what.StartsWith("api/default/", StringComparison.Ordinal) ? Schema.Family(what.Substring("api/default/".Length)) : null;
        if (what is not ("" or "api/description" or "api/enums" or "api/relations") && defaultOf is null)
        {
            await AboutMore(context, what);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            throw QrsException.MethodNotAllowed(context.Request.Method, context.Request.Path.Value ?? string.Empty, ["GET"]);
        }

        switch (what)
        {
            case "":
                await QrsHttp.WriteJson(context, 200, new JsonObject
                {
                    ["schemaPath"] = "About",
                    ["buildVersion"] = Schema.Version + ".0",
                    ["buildDate"] = "11/24/2026 00:00:00 AM",
                    ["databaseProvider"] = "Devart.Data.PostgreSql",
                    ["nodeType"] = 1,
                    ["sharedPersistence"] = true,
                    ["requiresBootstrap"] = false,
                    ["singleNodeOnly"] = false,
                });
                return;
            case "api/description":
                await QrsHttp.WriteJson(context, 200, new JsonArray(Description().Select(d => (JsonNode)d).ToArray()));
                return;
            case "api/enums":
                await QrsHttp.WriteJson(context, 200, Enums());
                return;
            case "api/relations":
                await QrsHttp.WriteJson(context, 200, new JsonArray(Relations().Select(r => (JsonNode)r).ToArray()));
                return;
            default:
                JsonObject entity = _store.Default(defaultOf!);
                await QrsHttp.WriteStream(context, 200, writer => _renderer.Write(writer, JsonSerializer.SerializeToElement(entity), Schema.Type(defaultOf!.Entity), privileges: false));
                return;
        }
    }

    private IEnumerable<string> Description()
    {
        foreach (EntityFamily family in Schema.Families.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            string root = "/qrs/" + family.Name;
            yield return $"GET {root}?filter={{filter}}&orderby={{orderby}}&privileges={{privileges}}";
            if (family.Supports("full")) yield return $"GET {root}/full?filter={{filter}}&orderby={{orderby}}&privileges={{privileges}}";
            if (family.Supports("count")) yield return $"GET {root}/count?filter={{filter}}";
            yield return $"GET {root}/{{id}}?privileges={{privileges}}";
            if (family.Supports("create")) yield return $"POST {root}?privileges={{privileges}}";
            if (family.Supports("createMany")) yield return $"POST {root}/many?privileges={{privileges}}";
            if (family.Supports("update")) yield return $"PUT {root}/{{id}}?privileges={{privileges}}";
            if (family.Supports("delete")) yield return $"DELETE {root}/{{id}}";
            if (family.Supports("table")) yield return $"POST {root}/table?filter={{filter}}&skip={{skip}}&take={{take}}&sortColumn={{sortColumn}}&orderAscending={{orderAscending}}";
        }
    }

    /// <summary>Every enum with its values ("7: FinishedSuccess") and its usages, the properties that take it ("ExecutionResult.status").</summary>
    private JsonObject Enums()
    {
        var enums = new JsonObject();
        foreach (var (name, shape) in Schema.Enums)
        {
            string[] usages = Schema.Types.Values
                .SelectMany(t => t.Properties.Where(p => p.InlineEnum is null && p.Ref == name).Select(p => $"{t.Name}.{p.Name}"))
                .Order(StringComparer.Ordinal)
                .ToArray();
            enums[name] = EnumValues(shape, usages);
        }

        foreach (TypeShape type in Schema.Types.Values)
        {
            foreach (PropertyShape property in type.Properties.Where(p => p.InlineEnum is not null))
            {
                enums[$"{type.Name}.{property.Name}"] = EnumValues(property.InlineEnum!, [$"{type.Name}.{property.Name}"]);
            }
        }

        return enums;
    }

    private static JsonObject EnumValues(EnumShape shape, string[] usages) => new()
    {
        ["usages"] = new JsonArray(usages.Select(u => (JsonNode)u).ToArray()),
        ["values"] = new JsonArray(shape.Values.Select((v, i) => (JsonNode)$"{v}: {(i < shape.Names.Length ? shape.Names[i] : v.ToString())}").ToArray()),
    };

    private IEnumerable<string> Relations()
    {
        foreach (EntityFamily family in Schema.Families.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            foreach (PropertyShape property in Schema.Type(family.Entity).Properties)
            {
                if (Schema.FamilyOfType(property.Ref) is EntityFamily target)
                {
                    yield return $"{family.Entity}.{property.Name} > {target.Entity}{(property.IsArray ? " (many)" : string.Empty)}";
                }
            }
        }
    }

    internal Task WriteEntity(HttpContext context, int status, StoredEntity entity, EntityFamily family, bool privileges) =>
        QrsHttp.WriteStream(context, status, writer => _renderer.Write(writer, entity.Value, Schema.Type(family.Entity), privileges));
}
