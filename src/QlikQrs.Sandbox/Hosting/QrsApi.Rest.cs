using System;
using System.Collections.Concurrent;
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
/// The smaller calls of QRS's description: privilege previews of every family, the operational views over several
/// families, health, cache, notifications, log lines from clients, favourites, the hub's app list, task copies, and the about
/// calls beyond the entity families.
/// </summary>
public sealed partial class QrsApi
{
    private static readonly Dictionary<string, string[]> s_unions = new(StringComparer.Ordinal)
    {
        ["taskoperational"] = ["reloadtaskoperational", "externalprogramtaskoperational", "usersynctaskoperational"],
        ["eventoperational"] = ["schemaeventoperational", "compositeeventoperational"],
        ["staticcontentreferencebase"] = ["staticcontentreference"],
        ["appcomponent"] = [],
    };

    private static readonly Dictionary<string, string> s_unionTypes = new(StringComparer.Ordinal)
    {
        ["taskoperational"] = "TaskOperational",
        ["eventoperational"] = "EventOperational",
        ["staticcontentreferencebase"] = "StaticContentReferenceBase",
        ["appcomponent"] = "AppComponent",
    };

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, byte>> _favourites = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Guid, string> _notifications = new();

    private async Task<bool> TryRestAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        IQueryCollection query = context.Request.Query;
        bool privileges = QueryValues.Flag(query, "privileges");
        switch (s)
        {
            case [.., "previewprivileges" or "previewcreateprivilege"] when method == "POST" && s.Length >= 2 && PreviewedFamily(s[..^1]):
                await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                await QrsHttp.WriteJson(context, 201, s[^1] == "previewcreateprivilege"
                    ? JsonValue.Create(true)
                    : new JsonArray(EntityRenderer.Privileges.Select(p => (JsonNode)p).ToArray()));
                return true;
            case [_] or [_, "full"] when method == "GET" && s_unions.ContainsKey(s[0]):
                await WriteUnion(context, UnionFamilies(s[0]), s_unionTypes[s[0]], s.Length == 1 ? null : "full", ids: null, privileges);
                return true;
            case [var union, "table"] when method == "POST" && s_unions.ContainsKey(union):
                await Table(context, Schema.Type(s_unionTypes[union]), Union(UnionFamilies(union), s_unionTypes[union], query["filter"], ids: null), await QrsHttp.ReadObject(context.Request, context.RequestAborted));
                return true;
            case ["health"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, JsonValue.Create("OK"));
                return true;
            case ["cache"] when method == "DELETE":
            case ["systemrule", "security", "resetcache"] when method == "POST":
                context.Response.StatusCode = 204;
                return true;
            case ["applicationlog" or "managementconsolelog"] when method == "POST":
                await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                context.Response.StatusCode = 204;
                return true;
            case ["notification"] when method == "POST":
                Guid handle = Guid.NewGuid();
                _notifications[handle] = (await QrsHttp.ReadBody(context.Request, context.RequestAborted))?.ToString() ?? throw QrsException.BadRequest("The body must be the URI to notify.");
                await QrsHttp.WriteJson(context, 201, JsonValue.Create(handle.ToString()));
                return true;
            case ["notification"] when method == "DELETE":
                _notifications.TryRemove(Guid.TryParse(query["handle"], out Guid removed) ? removed : throw QrsException.BadRequest("?handle= must be the GUID a registration answered."), out _);
                context.Response.StatusCode = 204;
                return true;
            case ["notification", "changes"] when method == "GET":
                await Changes(context, query["since"], query["types"]);
                return true;
            case ["systemnotification", "trigger"] when method == "POST":
                foreach (JsonNode? each in await QrsHttp.ReadArray(context.Request, context.RequestAborted))
                {
                    RequireSystemNotification(each?.ToString());
                }

                context.Response.StatusCode = 204;
                return true;
            case ["systemnotification", var notification, "trigger"] when method == "POST":
                RequireSystemNotification(notification);
                context.Response.StatusCode = 204;
                return true;
            case ["user", "favorites"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, new JsonArray(Favourites(user).Keys.Select(f => (JsonNode)f.ToString()).ToArray()));
                return true;
            case ["user", "favorites", var app] when method is "PUT" or "DELETE":
                Guid appId = Guid.TryParse(app, out Guid parsed) ? RequireApp(parsed).Id : throw QrsException.NotFound();
                if (method == "PUT")
                {
                    Favourites(user)[appId] = 0;
                }
                else
                {
                    Favourites(user).TryRemove(appId, out _);
                }

                context.Response.StatusCode = 204;
                return true;
            case ["app", "hublist"] or ["app", "hublist", "full"] when method == "GET":
                await WriteList(context, Apps, Schema.Type(s.Length == 2 ? Apps.Condensed : Apps.Entity), QueryValues.Flag(query, "allprivileges"));
                return true;
            case ["app", var app, "hubinfo"] when method == "GET" && Guid.TryParse(app, out Guid hubApp):
                await WriteEntity(context, 200, RequireApp(hubApp), Apps, privileges);
                return true;
            case ["app", var app, "state"] when method == "GET" && Guid.TryParse(app, out Guid stateApp):
                RequireApp(stateApp);
                await QrsHttp.WriteJson(context, 200, new JsonObject { ["schemaPath"] = "AppState", ["appIsEnabled"] = true });
                return true;
            case ["app", var app, "privileges"] when method == "GET" && Guid.TryParse(app, out Guid privilegeApp):
                RequireApp(privilegeApp);
                await QrsHttp.WriteJson(context, 200, new JsonArray(new JsonObject
                {
                    ["schemaPath"] = "ResourcePrivilegesCondensed",
                    ["resource"] = new JsonObject { ["id"] = privilegeApp.ToString(), ["privileges"] = new JsonArray(EntityRenderer.Privileges.Select(p => (JsonNode)p).ToArray()) },
                    ["canCreate"] = true,
                }));
                return true;
            case ["custom"] when method == "GET":
                throw QrsException.BadRequest($"There is no custom provider '{query["provider"]}'.");
            case ["systemrule", var category, "associatedrules"] when method == "GET":
                await WriteList(context, Select(Schema.Family("systemrule")!, $"category eq {QuotedLiteral(category)}", query["orderby"]), Schema.Type("SystemRuleCondensed"), privileges);
                return true;
            case ["systemrule", "security", "accessibleattributes"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, new JsonArray(ResourceType(query["resourcetype"]).Properties.Select(p => (JsonNode)p.Name).ToArray()));
                return true;
            case ["systemrule", "security", "attributevalues"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, AttributeValues(query["resourcetype"], query["attribute"], QueryValues.Count(query, "limit", fallback: 0)));
                return true;
            case ["systemrule", "security", "evaluatetransientresources"] when method == "POST":
                // The sandbox's callers are administrators: every resource asked for is accessible.
                await QrsHttp.WriteJson(context, 201, await QrsHttp.ReadArray(context.Request, context.RequestAborted));
                return true;
            case ["systemrule", "security", "referenceduserroles"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, new JsonArray(_store.List(Schema.Family("user")!)
                    .SelectMany(u => u.Value.TryGetProperty("roles", out JsonElement roles) && roles.ValueKind == JsonValueKind.Array ? roles.EnumerateArray().Select(r => r.GetString()) : [])
                    .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).Select(r => (JsonNode)r).ToArray()));
                return true;
            case ["systemrule", "sync", "linkednodes"] when method == "GET":
                // Every node of the sandbox's site has every resource: there are no sync rules narrowing it.
                await QrsHttp.WriteJson(context, 200, new JsonArray(_store.List(Nodes).Select(n => (JsonNode)n.Id.ToString()).ToArray()));
                return true;
            case ["systemrule", "sync", "linkedobjects"] when method == "GET":
                EntityFamily synced = Schema.FamilyOfType(ResourceType(query["resourcetype"]).Name) ?? throw QrsException.BadRequest($"'{query["resourcetype"]}' is not a resource type.");
                await QrsHttp.WriteJson(context, 200, new JsonArray(_store.List(synced).Select(e => (JsonNode)e.Id.ToString()).ToArray()));
                return true;
            case ["user", "ownedresources"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, OwnedResources(query["userselection"], QueryValues.Count(query, "limit", fallback: 0)));
                return true;
            case ["task", var task, "copy"] when method == "POST" && Guid.TryParse(task, out Guid taskId):
                await CopyTask(context, taskId, query["name"], QueryValues.Flag(query, "includecustomproperties"), QueryValues.Flag(query, "includetags"), user, privileges);
                return true;
            default:
                return false;
        }
    }

    private static string QuotedLiteral(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>A resource type as the security rules name it (App, Stream, ...).</summary>
    private TypeShape ResourceType(string? name) =>
        !string.IsNullOrWhiteSpace(name) && Schema.Types.FirstOrDefault(t => t.Key.Equals(name, StringComparison.OrdinalIgnoreCase) && Schema.FamilyOfType(t.Key) is not null).Value is TypeShape type
            ? type
            : throw QrsException.BadRequest($"'{name}' is not a resource type.");

    /// <summary>The distinct values of one property of a resource type, as the rule editor offers them.</summary>
    private JsonArray AttributeValues(string? resourceType, string? attribute, int limit)
    {
        TypeShape type = ResourceType(resourceType);
        PropertyShape property = type.Property(attribute ?? string.Empty) is { IsArray: false, Ref: null } simple ? simple : throw QrsException.BadRequest($"'{attribute}' is not an attribute of {type.Name}.");
        IEnumerable<string> values = _store.List(Schema.FamilyOfType(type.Name)!)
            .Select(e => e.Value.TryGetProperty(property.Name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new JsonArray((limit > 0 ? values.Take(limit) : values).Select(v => (JsonNode)v).ToArray());
    }

    /// <summary>GET /user/ownedresources: what the users of a selection (all users when none) own, across every family with an owner.</summary>
    private JsonArray OwnedResources(string? userSelection, int limit)
    {
        HashSet<string>? users = string.IsNullOrWhiteSpace(userSelection) ? null
            : Guid.TryParse(userSelection, out Guid selection) ? SelectedIds(selection) : throw QrsException.BadRequest("?userselection= must be a selection id.");
        IEnumerable<JsonNode> owned =
            from family in Schema.Families.OrderBy(f => f.Name, StringComparer.Ordinal)
            where Schema.Type(family.Entity).Property("owner") is not null
            from entity in _store.List(family)
            let owner = entity.Value.TryGetProperty("owner", out JsonElement o) && o.ValueKind == JsonValueKind.Object ? o.GetProperty("id").GetString() : null
            where owner is not null && (users is null || users.Contains(owner))
            select (JsonNode)new JsonObject
            {
                ["schemaPath"] = "OwnedResourceCondensed",
                ["owner"] = new JsonObject { ["id"] = owner },
                ["resourceType"] = family.Entity,
                ["resource"] = new JsonObject { ["id"] = entity.Id.ToString(), ["name"] = entity.Value.TryGetProperty("name", out JsonElement n) ? n.GetString() : null },
                ["objectType"] = family.Entity,
            };
        return new JsonArray((limit > 0 ? owned.Take(limit) : owned).ToArray());
    }

    /// <summary>POST /task/{id}/copy: a task of the same kind and settings, without its triggers, runs or, unless asked for, tags and custom properties.</summary>
    private async Task CopyTask(HttpContext context, Guid id, string? name, bool customProperties, bool tags, QrsUser user, bool privileges)
    {
        var (family, task) = RequireTask(id);
        JsonObject copy = JsonNode.Parse(task.Value.GetRawText())!.AsObject();
        foreach (string serverOwned in new[] { "id", "createdDate", "modifiedDate", "modifiedByUserName", "operational", "privileges" })
        {
            copy.Remove(serverOwned);
        }

        copy["name"] = string.IsNullOrWhiteSpace(name) ? copy["name"]?.ToString() + " (copy)" : name;
        copy["customProperties"] = customProperties ? copy["customProperties"]?.DeepClone() : new JsonArray();
        copy["tags"] = tags ? copy["tags"]?.DeepClone() : new JsonArray();
        StoredEntity created = _store.Create(family, copy, user);
        await QrsHttp.WriteStream(context, 201, writer => _renderer.Write(writer, created.Value, Schema.Type("Task"), privileges));
    }

    /// <summary>/{family}/previewprivileges: every family QRS has, and the selection.</summary>
    private bool PreviewedFamily(string[] path) => path is ["selection"] || Schema.Family(string.Join('/', path)) is not null;

    private EntityFamily[] UnionFamilies(string union) => s_unions[union].Select(Schema.Family).OfType<EntityFamily>().ToArray();

    private ConcurrentDictionary<Guid, byte> Favourites(QrsUser user) => _favourites.GetOrAdd(user.ToString(), _ => new ConcurrentDictionary<Guid, byte>());

    private void RequireSystemNotification(string? id)
    {
        if (!Guid.TryParse(id, out Guid notification) || _store.Find(Schema.Family("systemnotification")!, notification) is null)
        {
            throw QrsException.NotFound();
        }
    }

    /// <summary>GET /notification/changes?since=&amp;types=: the entities of the named types (all when none) changed after <c>since</c>.</summary>
    private async Task Changes(HttpContext context, string? since, string? types)
    {
        DateTime after = string.IsNullOrWhiteSpace(since) ? DateTime.MinValue
            : QrsDate.TryParse(since, out DateTime parsed) ? parsed : throw QrsException.BadRequest($"'{since}' is not a date.");
        HashSet<string>? wanted = string.IsNullOrWhiteSpace(types) ? null : types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var changes = new JsonArray();
        foreach (EntityFamily family in Schema.Families.Where(f => wanted is null || wanted.Contains(f.Entity)))
        {
            foreach (StoredEntity entity in _store.List(family))
            {
                if (entity.Value.TryGetProperty("modifiedDate", out JsonElement modified) && QrsDate.TryParse(modified.GetString(), out DateTime at) && at > after)
                {
                    changes.Add(new JsonObject
                    {
                        ["schemaPath"] = "ChangesSinceOutputCondensed",
                        ["changeType"] = 2,
                        ["id"] = entity.Id.ToString(),
                        ["type"] = family.Entity,
                        ["changeDate"] = modified.GetString(),
                    });
                }
            }
        }

        await QrsHttp.WriteJson(context, 200, changes);
    }

    /// <summary>
    /// The about calls beyond <see cref="About"/>: the defaults of every family, of the types QRS has defaults for
    /// without a family of their own, and the OpenAPI document of the repository's interface, made from the schema.
    /// </summary>
    private async Task AboutMore(HttpContext context, string what)
    {
        if (what is not ("api/default" or "api/default/tabledefinition" or "api/default/termsacceptance") && !what.StartsWith("openapi", StringComparison.Ordinal))
        {
            throw NoSuchPath();
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            throw QrsException.MethodNotAllowed(context.Request.Method, context.Request.Path.Value ?? string.Empty, ["GET"]);
        }

        switch (what)
        {
            case "api/default":
                var defaults = new JsonObject();
                foreach (EntityFamily family in Schema.Families.OrderBy(f => f.Name, StringComparer.Ordinal))
                {
                    defaults[family.Name] = QueryValues.Flag(context.Request.Query, "listentries") ? _store.Default(family) : JsonValue.Create(family.Entity);
                }

                await QrsHttp.WriteJson(context, 200, defaults);
                return;
            case "api/default/tabledefinition" or "api/default/termsacceptance":
                string typeName = what.EndsWith("tabledefinition", StringComparison.Ordinal) ? "TableDefinition" : "TermsAcceptance";
                await QrsHttp.WriteJson(context, 200, _store.Default(Schema.Type(typeName)));
                return;
            case "openapi":
                await QrsHttp.WriteJson(context, 200, new JsonArray("qrs"));
                return;
            case "openapi/qrs":
                await QrsHttp.WriteJson(context, 200, OpenApi());
                return;
            case var other when other.StartsWith("openapi/", StringComparison.Ordinal):
                throw QrsException.NotFound($"There is no interface '{what.Substring("openapi/".Length)}'; /qrs/about/openapi lists them.");
            default:
                throw NoSuchPath();
        }
    }

    /// <summary>A Swagger 2.0 outline of the families: their paths and operations, without the definitions.</summary>
    private JsonObject OpenApi()
    {
        var paths = new JsonObject();
        foreach (string line in Description())
        {
            string[] parts = line.Split(' ', 2);
            string path = parts[1].Split('?')[0].Substring("/qrs".Length);
            if (paths[path] is not JsonObject operations)
            {
                paths[path] = operations = new JsonObject();
            }

            operations[parts[0].ToLowerInvariant()] = new JsonObject { ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } } };
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Qlik Sense Repository Service API", ["version"] = Schema.Version },
            ["basePath"] = "/qrs",
            ["paths"] = paths,
        };
    }
}
