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
/// The audit paths beyond the plain audit: the matrix of subjects by resources with the actions each has, the
/// preview of a rule given in the body and never saved, the count of resources an audit would cover, the export of
/// the security rules, and the license actions per user.
/// </summary>
public sealed partial class QrsApi
{
    private const long AllActions = 8191;

    private async Task<bool> TryAuditsAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        switch (s)
        {
            case ["systemrule", "security" or "license" or "sync", "audit", "matrix"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, Matrix(s[1], await QrsHttp.ReadObject(context.Request, context.RequestAborted), user));
                return true;
            case ["systemrule", "security" or "license", "audit", "preview"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, Preview(s[1], await QrsHttp.ReadObject(context.Request, context.RequestAborted)));
                return true;
            case ["systemrule", "sync", "audit", "preview"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, SyncPreview(await QrsHttp.ReadObject(context.Request, context.RequestAborted)));
                return true;
            case ["systemrule", "security", "audit", "countresources"] when method == "POST":
                JsonObject count = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
                EntityFamily counted = ResourceFamily(count["resourceType"]?.ToString());
                await QrsHttp.WriteJson(context, 201, JsonValue.Create(Select(counted, count["resourceFilter"]?.ToString(), null).Count()));
                return true;
            case ["systemrule", "security", "audit", "export"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, new JsonArray(SecurityRuleLines().Select(l => (JsonNode)l).ToArray()));
                return true;
            case ["systemrule", "security" or "license", "useractions"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, UserActions(s[1] == "security" ? "Security" : "License", await QrsHttp.ReadObject(context.Request, context.RequestAborted)));
                return true;
            default:
                return false;
        }
    }

    private EntityFamily ResourceFamily(string? resourceType) =>
        string.IsNullOrEmpty(resourceType) ? throw QrsException.BadRequest("The parameters need a resourceType.")
        : RuleAudit.FamilyOf(Schema, resourceType) ?? throw QrsException.BadRequest($"'{resourceType}' is not a resource type.");

    private EntityFamily SubjectFamily(string category) => Schema.FamilyOfType(RuleAudit.SubjectTypeOf(category))!;

    /// <summary>A rule built from a request, with the empty id QRS gives an entity it has not stored.</summary>
    private static SecurityRule UnsavedRule(string category, string resourceFilter, string? condition, long actions) =>
        new(JsonSerializer.SerializeToElement(new JsonObject
        {
            ["id"] = Guid.Empty.ToString(),
            ["name"] = "Preview",
            ["category"] = category,
            ["resourceFilter"] = resourceFilter,
            ["rule"] = condition ?? string.Empty,
            ["actions"] = actions,
        }));

    private static long ActionsIn(JsonObject parameters) =>
        parameters["actions"] is JsonValue value && value.TryGetValue(out long bits) && bits > 0 ? bits : AllActions;

    /// <summary>
    /// POST /systemrule/{category}/audit/matrix: for each subject (a user, or a server node for sync) and resource
    /// chosen by the filters of subjectRef and resourceRef, the audited actions the rules give, each with how many
    /// rules grant it. A previewRule's condition is evaluated in place of the site's rules.
    /// </summary>
    private JsonObject Matrix(string category, JsonObject parameters, QrsUser caller)
    {
        EntityFamily family = ResourceFamily(parameters["resourceType"]?.ToString());
        EntityFamily subjectFamily = SubjectFamily(category);
        long actions = ActionsIn(parameters);
        IEnumerable<StoredEntity> subjects = Select(subjectFamily, parameters["subjectRef"]?["resourceFilter"]?.ToString(), null).OrderBy(e => e.Id);
        if (Guid.TryParse(parameters["subjectStart"]?.ToString(), out Guid start))
        {
            subjects = subjects.SkipWhile(e => e.Id != start);
        }

        StoredEntity[] chosenSubjects = subjects.ToArray();
        StoredEntity[] resources = Select(family, parameters["resourceRef"]?["resourceFilter"]?.ToString(), null).ToArray();
        RuleAudit audit = parameters["previewRule"]?["condition"]?.ToString() is { } condition
            ? new RuleAudit(_renderer, [UnsavedRule(category, $"{family.Entity}_*", condition, actions)], RuleAudit.SubjectTypeOf(category))
            : new RuleAudit(_store, _renderer, category, RuleAudit.SubjectTypeOf(category));
        int limit = parameters["auditLimit"] is JsonValue l && l.TryGetValue(out int given) && given > 0 ? given : int.MaxValue;

        var matrix = new JsonArray();
        foreach (var cell in audit.Evaluate(chosenSubjects, family.Entity, resources.Select(r => (r.Id, r.Value)))
                     .Where(a => a.Allowed && (a.Rule.Actions & actions) != 0)
                     .GroupBy(a => (Subject: a.User.Id, Resource: a.ResourceId))
                     .Take(limit))
        {
            var counts = new JsonObject();
            foreach (var (bit, name) in SecurityActions.All.Where(a => (a.Bit & actions) != 0))
            {
                int granting = cell.Count(a => (a.Rule.Actions & bit) != 0);
                if (granting > 0)
                {
                    counts[name] = granting;
                }
            }

            matrix.Add(new JsonObject
            {
                ["schemaPath"] = "AuditMatrixElementCondensed",
                ["subjectId"] = cell.Key.Subject.ToString(),
                ["resourceId"] = cell.Key.Resource.ToString(),
                ["audit"] = counts,
            });
        }

        long shownPrivileges = parameters["outputObjectsPrivileges"] is JsonValue p && p.TryGetValue(out long bits) ? bits : 0;
        StoredEntity callerEntity = _store.Find(Users, _store.EnsureUser(caller))!;
        var callerAudit = new RuleAudit(_store, _renderer, "Security");
        JsonObject Described(IEnumerable<StoredEntity> entities, EntityFamily of, JsonNode? propertyNames, string schemaPath, string propertiesName)
        {
            string[] names = (propertyNames as JsonArray)?.Select(n => n?.ToString()).OfType<string>().ToArray() ?? ["name"];
            var described = new JsonObject();
            foreach (StoredEntity entity in entities)
            {
                var properties = new JsonObject();
                foreach (string name in names)
                {
                    properties[name] = entity.Value.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
                        ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())
                        : null;
                }

                long held = shownPrivileges == 0 ? 0 : callerAudit.ActionsOf(callerEntity, of.Entity, entity.Id, entity.Value) & shownPrivileges;
                described[entity.Id.ToString()] = new JsonObject
                {
                    ["schemaPath"] = schemaPath,
                    [propertiesName] = properties,
                    ["privileges"] = new JsonArray(SecurityActions.Names(held).Select(n => (JsonNode)n).ToArray()),
                };
            }

            return described;
        }

        HashSet<Guid> shownSubjects = matrix.Select(m => Guid.Parse(m!["subjectId"]!.ToString())).ToHashSet();
        HashSet<Guid> shownResources = matrix.Select(m => Guid.Parse(m!["resourceId"]!.ToString())).ToHashSet();
        return new JsonObject
        {
            ["schemaPath"] = "AuditMatrix",
            ["matrix"] = matrix,
            ["resources"] = Described(resources.Where(r => shownResources.Contains(r.Id)), family, parameters["resourceProperties"], "AuditMatrixResourceCondensed", "resourceProperties"),
            ["subjects"] = Described(chosenSubjects.Where(u => shownSubjects.Contains(u.Id)), subjectFamily, parameters["subjectProperties"], "AuditMatrixSubjectCondensed", "subjectProperties"),
        };
    }

    /// <summary>
    /// POST /systemrule/{security|license}/audit/preview: the rule of the body (its resource filter, condition and
    /// actions) evaluated for the users of userFilter on the resources of resourceType, granting or not.
    /// </summary>
    private JsonObject Preview(string category, JsonObject parameters)
    {
        EntityFamily family = ResourceFamily(parameters["resourceType"]?.ToString());
        string resourceFilter = parameters["resourceFilter"]?.ToString() is { Length: > 0 } filter ? filter : $"{family.Entity}_*";
        SecurityRule rule = UnsavedRule(category, resourceFilter, parameters["ruleConditions"]?.ToString(), ActionsIn(parameters));
        StoredEntity[] users = Page(Select(Users, parameters["userFilter"]?.ToString(), null), parameters, "user");
        StoredEntity[] resources = Page(_store.List(family).Where(r => rule.AppliesTo(family.Entity, r.Id)), parameters, "resource");
        var audit = new RuleAudit(_renderer, [rule], "User");
        return AuditAnswer("AuditPreview", users, resources, audit.Evaluate(users, family.Entity, resources.Select(r => (r.Id, r.Value))).ToArray());
    }

    /// <summary>POST /systemrule/sync/audit/preview: the sync rule of the body evaluated for every server node.</summary>
    private JsonObject SyncPreview(JsonObject parameters)
    {
        EntityFamily family = ResourceFamily(parameters["resourceType"]?.ToString());
        string resourceFilter = parameters["resourceFilter"]?.ToString() is { Length: > 0 } filter ? filter : $"{family.Entity}_*";
        SecurityRule rule = UnsavedRule("Sync", resourceFilter, parameters["ruleConditions"]?.ToString(), ActionsIn(parameters));
        StoredEntity[] nodes = _store.List(SubjectFamily("Sync")).ToArray();
        StoredEntity[] resources = _store.List(family).Where(r => rule.AppliesTo(family.Entity, r.Id)).ToArray();
        RuleAudit.Application[] applications = new RuleAudit(_renderer, [rule], RuleAudit.SubjectTypeOf("Sync"))
            .Evaluate(nodes, family.Entity, resources.Select(r => (r.Id, r.Value)))
            .ToArray();
        var nodesShown = new JsonObject();
        foreach (StoredEntity node in nodes)
        {
            nodesShown[node.Id.ToString()] = new JsonObject
            {
                ["schemaPath"] = "SyncAuditNodeCondensed",
                ["id"] = node.Id.ToString(),
                ["name"] = node.Value.TryGetProperty("name", out JsonElement name) ? name.GetString() : null,
            };
        }

        return new JsonObject
        {
            ["schemaPath"] = "SyncAuditPreview",
            ["nodes"] = nodesShown,
            ["resources"] = ResourcesShown(resources),
            ["rules"] = RulesShown(applications),
            ["ruleApplication"] = new JsonArray(applications.Select(a => (JsonNode)ApplicationShown(a, "SyncRuleApplicationItemCondensed", "nodeID")).ToArray()),
        };
    }

    /// <summary>An audit as QRS answers one: the users, resources and rules involved, keyed by id, and each rule's application.</summary>
    private static JsonObject AuditAnswer(string schemaPath, IEnumerable<StoredEntity> users, IEnumerable<StoredEntity> resources, RuleAudit.Application[] applications)
    {
        var usersShown = new JsonObject();
        foreach (StoredEntity u in users)
        {
            usersShown[u.Id.ToString()] = new JsonObject
            {
                ["schemaPath"] = "AuditUserCondensed",
                ["id"] = u.Id.ToString(),
                ["userId"] = u.Value.GetProperty("userId").GetString(),
                ["userDirectory"] = u.Value.GetProperty("userDirectory").GetString(),
                ["name"] = u.Value.GetProperty("name").GetString(),
            };
        }

        return new JsonObject
        {
            ["schemaPath"] = schemaPath,
            ["users"] = usersShown,
            ["resources"] = ResourcesShown(resources),
            ["rules"] = RulesShown(applications),
            ["ruleApplication"] = new JsonArray(applications.Select(a => (JsonNode)ApplicationShown(a, "SystemRuleApplicationItemCondensed", "userID")).ToArray()),
        };
    }

    private static JsonObject ResourcesShown(IEnumerable<StoredEntity> resources)
    {
        var shown = new JsonObject();
        foreach (StoredEntity r in resources)
        {
            shown[r.Id.ToString()] = new JsonObject
            {
                ["schemaPath"] = "AuditResourceCondensed",
                ["id"] = r.Id.ToString(),
                ["name"] = r.Value.TryGetProperty("name", out JsonElement name) ? name.GetString() : r.Id.ToString(),
            };
        }

        return shown;
    }

    private static JsonObject RulesShown(IEnumerable<RuleAudit.Application> applications)
    {
        var shown = new JsonObject();
        foreach (SecurityRule rule in applications.Select(a => a.Rule).DistinctBy(r => r.Id))
        {
            shown[rule.Id.ToString()] = new JsonObject
            {
                ["schemaPath"] = "AuditRuleCondensed",
                ["id"] = rule.Id.ToString(),
                ["name"] = rule.Name,
                ["actions"] = rule.Actions,
                ["disabled"] = rule.Disabled,
            };
        }

        return shown;
    }

    private static JsonObject ApplicationShown(RuleAudit.Application a, string schemaPath, string subjectKey) => new()
    {
        ["schemaPath"] = schemaPath,
        [subjectKey] = a.User.Id.ToString(),
        ["resourceID"] = a.ResourceId.ToString(),
        ["ruleID"] = a.Rule.Id.ToString(),
        ["allowed"] = a.Allowed,
        ["errorAt"] = 0,
        ["errorMessage"] = a.Rule.ParseError ?? string.Empty,
        ["evaluationState"] = a.Rule.ParseError is null ? 0 : 1,
    };

    /// <summary>
    /// GET /systemrule/security/audit/export: the security rules as lines of text (a header, then name, resource
    /// filter, actions, disabled and condition, tab separated), what an administrator files away or compares.
    /// </summary>
    private IEnumerable<string> SecurityRuleLines()
    {
        yield return "Name\tResourceFilter\tActions\tDisabled\tCondition";
        foreach (StoredEntity rule in _store.List(Schema.Family("systemrule")!)
                     .Where(r => string.Equals(r.Value.GetProperty("category").GetString(), "Security", StringComparison.OrdinalIgnoreCase))
                     .OrderBy(r => r.Value.GetProperty("name").GetString(), StringComparer.Ordinal))
        {
            var parsed = new SecurityRule(rule.Value);
            string condition = rule.Value.TryGetProperty("rule", out JsonElement text) ? text.GetString() ?? string.Empty : string.Empty;
            yield return string.Join('\t', parsed.Name, rule.Value.GetProperty("resourceFilter").GetString(), string.Join(',', SecurityActions.Names(parsed.Actions)),
                parsed.Disabled ? "true" : "false", condition.ReplaceLineEndings(" "));
        }
    }

    /// <summary>
    /// POST /systemrule/security/useractions and /systemrule/license/useractions: for each user of userFilter (at most
    /// limit), how many resources of the type the security or license rules give each of the asked actions on.
    /// </summary>
    private JsonArray UserActions(string category, JsonObject input)
    {
        EntityFamily family = ResourceFamily(input["type"]?.ToString());
        long actions = ActionsIn(input);
        int limit = input["limit"] is JsonValue l && l.TryGetValue(out int given) && given > 0 ? given : int.MaxValue;
        StoredEntity[] users = Select(Users, input["userFilter"]?.ToString(), null).Take(limit).ToArray();
        StoredEntity[] resources = _store.List(family).ToArray();
        var audit = new RuleAudit(_store, _renderer, category);
        return new JsonArray(users.Select(u =>
        {
            long[] held = resources.Select(r => audit.ActionsOf(u, family.Entity, r.Id, r.Value)).ToArray();
            var counts = new JsonObject();
            foreach (var (bit, name) in SecurityActions.All.Where(a => (a.Bit & actions) != 0))
            {
                counts[name] = held.Count(h => (h & bit) != 0);
            }

            return (JsonNode)new JsonObject
            {
                ["schemaPath"] = $"User{category}Actions",
                ["user"] = new JsonObject
                {
                    ["id"] = u.Id.ToString(),
                    ["userId"] = u.Value.GetProperty("userId").GetString(),
                    ["userDirectory"] = u.Value.GetProperty("userDirectory").GetString(),
                    ["userDirectoryConnectorName"] = u.Value.TryGetProperty("userDirectoryConnectorName", out JsonElement connector) ? connector.GetString() : null,
                    ["name"] = u.Value.GetProperty("name").GetString(),
                    ["privileges"] = null,
                },
                ["actionCounts"] = counts,
            };
        }).ToArray());
    }
}
