using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Rules;

/// <summary>
/// Evaluates the site's system rules of one category (Security, License, Sync) for users on resources: what the
/// audit endpoints report and what a user's privileges on an entity are.
/// </summary>
public sealed class RuleAudit(EntityStore store, EntityRenderer renderer, string category)
{
    /// <summary>One rule that applies to a user and a resource, and whether it grants its actions.</summary>
    public sealed record Application(StoredEntity User, Guid ResourceId, SecurityRule Rule, bool Allowed);

    public IReadOnlyList<SecurityRule> Rules { get; } = store.List(store.Schema.Family("systemrule")!)
        .Select(r => new SecurityRule(r.Value))
        .Where(r => r.Category.Equals(category, StringComparison.OrdinalIgnoreCase))
        .ToArray();

    /// <summary>Every rule whose resource filter takes the resource, for each user.</summary>
    public IEnumerable<Application> Evaluate(IEnumerable<StoredEntity> users, string resourceType, IEnumerable<(Guid Id, JsonElement Value)> resources)
    {
        (Guid Id, JsonElement Value)[] targets = resources.ToArray();
        foreach (StoredEntity user in users)
        {
            foreach ((Guid id, JsonElement resource) in targets)
            {
                foreach (SecurityRule rule in Rules.Where(r => r.AppliesTo(resourceType, id)))
                {
                    yield return new Application(user, id, rule, rule.Grants(new RuleContext(user.Value, resource, resourceType, renderer)));
                }
            }
        }
    }

    /// <summary>The SecurityActions bits the user has on the resource: those of every rule that grants.</summary>
    public long ActionsOf(StoredEntity user, string resourceType, Guid resourceId, JsonElement resource) =>
        Evaluate([user], resourceType, [(resourceId, resource)]).Where(a => a.Allowed).Aggregate(0L, (all, a) => all | a.Rule.Actions);

    /// <summary>The entity type a resource type names: App, Stream, License.ProfessionalAccessGroup (LicenseProfessionalAccessGroup).</summary>
    public static EntityFamily? FamilyOf(QrsSchema schema, string resourceType)
    {
        string type = resourceType.Replace(".", string.Empty, StringComparison.Ordinal);
        return schema.Families.FirstOrDefault(f => f.Entity.Equals(type, StringComparison.OrdinalIgnoreCase));
    }
}
