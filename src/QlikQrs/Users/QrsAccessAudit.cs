using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QlikQrs.Model;

namespace QlikQrs.Users;

/// <summary>What one user may do with one resource, and the rules that grant it.</summary>
public sealed class QrsAccessAuditEntry
{
    /// <summary>DIR\userid.</summary>
    public string User { get; init; } = string.Empty;

    public string? UserName { get; init; }

    public Guid UserId { get; init; }

    public string ResourceType { get; init; } = string.Empty;

    public string? Resource { get; init; }

    public Guid ResourceId { get; init; }

    /// <summary>The actions granted: Read, Update, ... (SecurityActions names).</summary>
    public IReadOnlyList<string> Actions { get; init; } = Array.Empty<string>();

    /// <summary>The names of the rules that grant them.</summary>
    public IReadOnlyList<string> Rules { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{User} {string.Join(", ", Actions)} {ResourceType} '{Resource}'";
}

/// <summary>Turns QRS's audit (users, resources and rules by id, and which rule applies to which pair) into one entry per user and resource.</summary>
public static class QrsAccessAudit
{
    private static readonly SecurityActions[] s_actions = Enum.GetValues(typeof(SecurityActions)).Cast<SecurityActions>()
        .Where(a => a is not SecurityActions.None and not SecurityActions.All).ToArray();

    public static IEnumerable<QrsAccessAuditEntry> Entries(Audit audit, string resourceType)
    {
        Dictionary<string, JsonElement> users = Map(audit.Users);
        Dictionary<string, JsonElement> resources = Map(audit.Resources);
        Dictionary<string, JsonElement> rules = Map(audit.Rules);
        foreach (var pair in (audit.RuleApplication ?? new List<SystemRuleApplicationItemCondensed>())
            .Where(a => a.Allowed == true && a.UserID is not null && a.ResourceID is not null)
            .GroupBy(a => (User: a.UserID!.Value, Resource: a.ResourceID!.Value)))
        {
            JsonElement[] granting = pair.Select(a => rules.TryGetValue(a.RuleID?.ToString() ?? string.Empty, out JsonElement rule) ? rule : default)
                .Where(r => r.ValueKind == JsonValueKind.Object && !(r.TryGetProperty("disabled", out JsonElement off) && off.ValueKind == JsonValueKind.True))
                .ToArray();
            long bits = granting.Aggregate(0L, (all, r) => all | (r.TryGetProperty("actions", out JsonElement a) && a.TryGetInt64(out long value) ? value : 0));
            users.TryGetValue(pair.Key.User.ToString(), out JsonElement user);
            resources.TryGetValue(pair.Key.Resource.ToString(), out JsonElement resource);
            yield return new QrsAccessAuditEntry
            {
                User = $@"{Text(user, "userDirectory")}\{Text(user, "userId")}",
                UserName = Text(user, "name"),
                UserId = pair.Key.User,
                ResourceType = resourceType,
                Resource = Text(resource, "name"),
                ResourceId = pair.Key.Resource,
                Actions = s_actions.Where(a => (bits & (long)a) != 0).Select(a => a.ToString()).ToList(),
                Rules = granting.Select(r => Text(r, "name") ?? string.Empty).Distinct().OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList(),
            };
        }
    }

    /// <summary>Whether an entry grants every one of <paramref name="actions"/>.</summary>
    public static bool Grants(QrsAccessAuditEntry entry, IEnumerable<SecurityActions> actions) =>
        actions.All(a => entry.Actions.Contains(a.ToString(), StringComparer.OrdinalIgnoreCase));

    private static Dictionary<string, JsonElement> Map(JsonElement? map)
    {
        var byId = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (map is { ValueKind: JsonValueKind.Object } found)
        {
            foreach (JsonProperty property in found.EnumerateObject())
            {
                byId[property.Name] = property.Value;
            }
        }

        return byId;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
