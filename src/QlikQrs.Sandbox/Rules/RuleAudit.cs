using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Rules;

/// <summary>
/// Evaluates system rules for subjects on resources: the site's rules of one category (Security, License, Sync), or a
/// rule being previewed and not saved. The subjects are users, or server nodes for the sync rules.
/// </summary>
public sealed class RuleAudit
{
    private readonly EntityRenderer _renderer;
    private readonly string _subjectType;

    /// <summary>The site's rules of <paramref name="category"/>, for subjects of <paramref name="subjectType"/>.</summary>
    public RuleAudit(EntityStore store, EntityRenderer renderer, string category, string subjectType = "User")
        : this(renderer, SiteRules(store, category), subjectType)
    {
    }

    /// <summary>Only <paramref name="rules"/>, for subjects of <paramref name="subjectType"/> (User, ServerNodeConfiguration).</summary>
    public RuleAudit(EntityRenderer renderer, IReadOnlyList<SecurityRule> rules, string subjectType)
    {
        _renderer = renderer;
        _subjectType = subjectType;
        Rules = rules;
    }

    /// <summary>One rule that applies to a subject and a resource, and whether it grants its actions.</summary>
    public sealed record Application(StoredEntity User, Guid ResourceId, SecurityRule Rule, bool Allowed);

    public IReadOnlyList<SecurityRule> Rules { get; }

    /// <summary>Sync rules are about server nodes, the others about users.</summary>
    public static string SubjectTypeOf(string category) =>
        category.Equals("Sync", StringComparison.OrdinalIgnoreCase) ? "ServerNodeConfiguration" : "User";

    /// <summary>Every rule whose resource filter takes the resource, for each subject.</summary>
    public IEnumerable<Application> Evaluate(IEnumerable<StoredEntity> users, string resourceType, IEnumerable<(Guid Id, JsonElement Value)> resources)
    {
        (Guid Id, JsonElement Value)[] targets = resources.ToArray();
        foreach (StoredEntity user in users)
        {
            foreach ((Guid id, JsonElement resource) in targets)
            {
                foreach (SecurityRule rule in Rules.Where(r => r.AppliesTo(resourceType, id)))
                {
                    yield return new Application(user, id, rule, rule.Grants(new RuleContext(user.Value, resource, resourceType, _renderer, _subjectType)));
                }
            }
        }
    }

    /// <summary>The SecurityActions bits the subject has on the resource: those of every rule that grants.</summary>
    public long ActionsOf(StoredEntity user, string resourceType, Guid resourceId, JsonElement resource) =>
        Evaluate([user], resourceType, [(resourceId, resource)]).Where(a => a.Allowed).Aggregate(0L, (all, a) => all | a.Rule.Actions);

    /// <summary>The entity type a resource type names: App, Stream, License.ProfessionalAccessGroup (LicenseProfessionalAccessGroup).</summary>
    public static EntityFamily? FamilyOf(QrsSchema schema, string resourceType)
    {
        string type = resourceType.Replace(".", string.Empty, StringComparison.Ordinal);
        return schema.Families.FirstOrDefault(f => f.Entity.Equals(type, StringComparison.OrdinalIgnoreCase));
    }

    private static SecurityRule[] SiteRules(EntityStore store, string category) => store.List(store.Schema.Family("systemrule")!)
        .Select(r => new SecurityRule(r.Value))
        .Where(r => r.Category.Equals(category, StringComparison.OrdinalIgnoreCase))
        .ToArray();
}
