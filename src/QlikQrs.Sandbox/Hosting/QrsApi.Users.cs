using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Rules;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// Users, directories and rules: directory syncs that take a while and add, change and remove users, a directory
/// removed with its users, the audits of the security, license and sync rules, and preview privileges.
/// </summary>
public sealed partial class QrsApi
{
    /// <summary>How long a sync fetches from the directory, and then how long it stores, before it is idle again.</summary>
    private static readonly TimeSpan s_syncFetch = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan s_syncStore = TimeSpan.FromMilliseconds(500);

    private async Task<bool> TryUsersAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        switch (s)
        {
            case ["userdirectoryconnector"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, UserDirectoryConnectors.Describe());
                return true;
            case ["userdirectoryconnector", "refreshudctypes"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, UserDirectoryConnectors.Describe());
                return true;
            case ["userdirectoryconnector", "syncuserdirectories"] when method == "POST":
                Guid[] ids = (await QrsHttp.ReadArray(context.Request, context.RequestAborted))
                    .Select(d => Guid.TryParse(d?.ToString(), out Guid each) ? each : throw QrsException.BadRequest($"'{d?.ToJsonString()}' is not a user directory id."))
                    .ToArray();
                StoredEntity[] directories = ids.Select(id => _store.Find(Directories, id) ?? throw QrsException.NotFound($"There is no user directory with the id {id}.")).ToArray();
                foreach (StoredEntity directory in directories)
                {
                    StartSync(directory.Id);
                }

                context.Response.StatusCode = 204;
                return true;
            case ["userdirectoryconnector", "deleteudandusers"] when method == "DELETE":
                string? given = context.Request.Query["userdirectoryid"];
                Guid directoryId = Guid.TryParse(given, out Guid parsed) ? parsed : throw QrsException.BadRequest($"'{given}' is not a user directory id.");
                StoredEntity removed = _store.Find(Directories, directoryId) ?? throw QrsException.NotFound($"There is no user directory with the id {directoryId}.");
                foreach (StoredEntity member in UsersOf(DirectoryName(removed)))
                {
                    _store.Delete(Users, member.Id);
                }

                _store.Delete(Directories, directoryId);
                context.Response.StatusCode = 204;
                return true;
            case ["user", "sync", _, _] when method == "GET":
                string[] raw = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
                string directoryName = Uri.UnescapeDataString(raw[^2]);
                string userId = Uri.UnescapeDataString(raw[^1]);
                StoredEntity? synced = UsersOf(directoryName).FirstOrDefault(u => string.Equals(u.Value.GetProperty("userId").GetString(), userId, StringComparison.OrdinalIgnoreCase));
                if (synced is not null)
                {
                    _store.Patch(Users, synced.Id, u => u["removedExternally"] = false);
                }

                await QrsHttp.WriteJson(context, 200, JsonValue.Create(synced is not null));
                return true;
            case ["systemrule", "security" or "license" or "sync", "audit"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, Audit(s[1], await QrsHttp.ReadObject(context.Request, context.RequestAborted)));
                return true;
            case ["systemrule", "security", "audit", "accessibleobjects"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, AccessibleObjects(await QrsHttp.ReadObject(context.Request, context.RequestAborted)));
                return true;
            case [.., "previewprivileges" or "previewcreateprivilege"] when method == "POST" && Schema.Family(string.Join('/', s[..^1])) is EntityFamily family:
                JsonObject item = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                long actions = PrivilegesOf(user, family, item);
                await QrsHttp.WriteJson(context, 201, s[^1] == "previewcreateprivilege"
                    ? JsonValue.Create((actions & 1) != 0)
                    : new JsonArray(SecurityActions.Names(actions).Select(n => (JsonNode)n).ToArray()));
                return true;
            default:
                return false;
        }
    }

    private EntityFamily Directories => Schema.Family("userdirectory")!;

    private EntityFamily Users => Schema.Family("user")!;

    private static string DirectoryName(StoredEntity directory) => directory.Value.GetProperty("userDirectoryName").GetString() ?? string.Empty;

    private IEnumerable<StoredEntity> UsersOf(string directory) =>
        _store.List(Users).Where(u => string.Equals(u.Value.GetProperty("userDirectory").GetString(), directory, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A sync as QRS runs one: the directory goes ExternalFetch, then DBStore, then Idle with its last successful end
    /// set. The synced LDAP directory's source has moved on since the last sync each time: a user joined, one was
    /// renamed, one left (removedExternally, as QRS keeps such users). Other directories sync without changes.
    /// </summary>
    private void StartSync(Guid directoryId)
    {
        _store.Patch(Directories, directoryId, d =>
        {
            d["syncStatus"] = 1;
            d["syncLastStarted"] = QrsDate.Now();
        });
        _ = Task.Run(async () =>
        {
            await Task.Delay(s_syncFetch);
            StoredEntity directory = _store.Patch(Directories, directoryId, d => d["syncStatus"] = 2);
            if (DirectoryName(directory) == UsersSeeder.SyncedDirectory)
            {
                ApplySourceChanges(DirectoryName(directory));
            }

            await Task.Delay(s_syncStore);
            _store.Patch(Directories, directoryId, d =>
            {
                d["syncStatus"] = 0;
                d["syncLastSuccessfulEnded"] = QrsDate.Now();
            });
        });
    }

    private void ApplySourceChanges(string directory)
    {
        StoredEntity[] plain = UsersOf(directory)
            .Where(u => u.Value.GetProperty("userId").GetString()!.StartsWith("ldapuser", StringComparison.Ordinal))
            .ToArray();
        int next = plain.Length + 1;
        _store.Seed(Users, Guid.NewGuid(), new JsonObject
        {
            ["userId"] = $"ldapuser{next:D3}",
            ["userDirectory"] = directory,
            ["userDirectoryConnectorName"] = directory,
            ["name"] = $"LDAP User {next:D3}",
        }, DateTime.UtcNow);
        StoredEntity[] present = plain.Where(u => !u.Value.GetProperty("removedExternally").GetBoolean()).ToArray();
        if (present.Length > 0)
        {
            _store.Patch(Users, present[0].Id, u => u["name"] = $"{u["name"]} (renamed)");
        }

        if (present.Length > 1)
        {
            _store.Patch(Users, present[^1].Id, u =>
            {
                u["removedExternally"] = true;
                u["inactive"] = true;
            });
        }
    }

    /// <summary>POST /systemrule/{category}/audit: which rules apply to which users on which resources, and which grant.</summary>
    private JsonObject Audit(string category, JsonObject parameters)
    {
        string resourceType = parameters["resourceType"]?.ToString() is { Length: > 0 } type ? type : throw QrsException.BadRequest("The audit needs a resourceType.");
        EntityFamily family = RuleAudit.FamilyOf(Schema, resourceType) ?? throw QrsException.BadRequest($"'{resourceType}' is not a resource type.");
        StoredEntity[] users = Page(Select(Users, parameters["userFilter"]?.ToString(), null), parameters, "user");
        StoredEntity[] resources = Page(Select(family, parameters["resourceFilter"]?.ToString(), null), parameters, "resource");
        bool nonGranting = parameters["includeNonGrantingRules"]?.GetValueKind() == JsonValueKind.True;
        var audit = new RuleAudit(_store, _renderer, category);
        RuleAudit.Application[] applications = audit.Evaluate(users, family.Entity, resources.Select(r => (r.Id, r.Value)))
            .Where(a => a.Allowed || nonGranting)
            .ToArray();
        return AuditAnswer("Audit", users, resources, applications);
    }

    /// <summary>POST /systemrule/security/audit/accessibleobjects: the resources of a type on which a user has an action.</summary>
    private JsonArray AccessibleObjects(JsonObject parameters)
    {
        string resourceType = parameters["resourceType"]?.ToString() is { Length: > 0 } type ? type : throw QrsException.BadRequest("The parameters need a resourceType.");
        EntityFamily family = RuleAudit.FamilyOf(Schema, resourceType) ?? throw QrsException.BadRequest($"'{resourceType}' is not a resource type.");
        Guid userId = Guid.TryParse(parameters["userID"]?.ToString(), out Guid id) ? id : throw QrsException.BadRequest("The parameters need a userID.");
        StoredEntity subject = _store.Find(Users, userId) ?? throw QrsException.NotFound($"There is no user with the id {userId}.");
        long action = parameters["action"] is JsonValue value && value.TryGetValue(out long bits) ? bits : 2;
        var audit = new RuleAudit(_store, _renderer, "Security");
        return new JsonArray(_store.List(family)
            .Where(r => (audit.ActionsOf(subject, family.Entity, r.Id, r.Value) & action) == action)
            .Select(r => (JsonNode)new JsonObject { ["id"] = r.Id.ToString(), ["name"] = r.Value.TryGetProperty("name", out JsonElement name) ? name.GetString() : null, ["schemaPath"] = family.Entity })
            .ToArray());
    }

    /// <summary>The actions the caller's security rules give on <paramref name="item"/> as it is (an entity not yet stored, or a changed one).</summary>
    private long PrivilegesOf(QrsUser caller, EntityFamily family, JsonObject item)
    {
        StoredEntity subject = _store.Find(Users, _store.EnsureUser(caller))!;
        Guid id = Guid.TryParse(item["id"]?.ToString(), out Guid given) ? given : Guid.Empty;
        return new RuleAudit(_store, _renderer, "Security").ActionsOf(subject, family.Entity, id, JsonSerializer.SerializeToElement(item));
    }

    private static StoredEntity[] Page(IEnumerable<StoredEntity> rows, JsonObject parameters, string prefix)
    {
        int skip = parameters[prefix + "Skip"] is JsonValue s && s.TryGetValue(out int skipped) ? Math.Max(skipped, 0) : 0;
        int take = parameters[prefix + "Take"] is JsonValue t && t.TryGetValue(out int taken) && taken > 0 ? taken : int.MaxValue;
        return rows.Skip(skip).Take(take).ToArray();
    }
}
