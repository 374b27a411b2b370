using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using QlikQrs.Model;

namespace QlikQrs.Tagging;

/// <summary>How Set-QrsCustomProperty changes the values of one definition on an entity.</summary>
public enum CustomPropertyChange
{
    /// <summary>The given values become the definition's only values.</summary>
    Replace,

    /// <summary>The given values are added to those there are.</summary>
    Append,

    /// <summary>The given values (all of the definition's, when none are given) are taken away.</summary>
    Remove,
}

/// <summary>
/// Custom property values as QRS's rules allow them: a value is one of the definition's choices when it has any,
/// and a definition is given only to the kinds of entity it lists. A refusal names what is allowed.
/// </summary>
public static class CustomPropertyValues
{
    /// <summary>
    /// The values as the definition spells its choices ('finance' is 'Finance'); a value that is not a choice is
    /// QrsCustomPropertyValueNotAllowed, naming the choices.
    /// </summary>
    public static string[] Allowed(CustomPropertyDefinition definition, IReadOnlyList<string> values)
    {
        List<string> choices = definition.ChoiceValues ?? new List<string>();
        if (choices.Count == 0)
        {
            return values.ToArray();
        }

        return values.Select(value => choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new QrsCommandException("QrsCustomPropertyValueNotAllowed", ErrorCategory.InvalidArgument,
                $"'{value}' is not a value of the custom property '{definition.Name}'; its values are {string.Join(", ", choices.Select(c => $"'{c}'"))}.", value,
                $"Give one of them, or add it first: Set-QrsCustomPropertyDefinition '{definition.Name}' -AddChoice '{value}'.")).ToArray();
    }

    /// <summary>Null when the definition applies to entities of <paramref name="family"/>; otherwise the refusal, naming the kinds it applies to.</summary>
    public static QrsCommandException? NotApplicable(CustomPropertyDefinition definition, QrsEntityFamily family, object target)
    {
        List<string> types = definition.ObjectTypes ?? new List<string>();
        string type = family.EntityType.Name;
        return types.Contains(type, StringComparer.OrdinalIgnoreCase)
            ? null
            : new QrsCommandException("QrsCustomPropertyNotApplicable", ErrorCategory.InvalidArgument,
                $"The custom property '{definition.Name}' does not apply to {QrsIdentity.WordsOf(type)}s; it applies to {(types.Count == 0 ? "no kind of entity" : string.Join(", ", types))}.", target,
                $"Add the kind first: Set-QrsCustomPropertyDefinition '{definition.Name}' -ObjectType {string.Join(", ", types.Append(type))}.");
    }

    /// <summary>Changes the entity's values of <paramref name="definition"/>; false when they are as asked already.</summary>
    public static bool Apply(JsonObject entity, Guid definition, CustomPropertyChange change, IReadOnlyList<string> values)
    {
        const string property = "customProperties";
        bool Of(JsonObject item) => QrsEntityEdit.IdOf(item["definition"]) == definition;
        string?[] current = (entity[property] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Where(Of).Select(i => i["value"]?.ToString()).ToArray();
        switch (change)
        {
            case CustomPropertyChange.Remove:
                return QrsEntityEdit.RemoveItems(entity, property, item => Of(item) && (values.Count == 0 || values.Contains(item["value"]?.ToString(), StringComparer.Ordinal)));
            case CustomPropertyChange.Replace when current.OrderBy(v => v, StringComparer.Ordinal).SequenceEqual(values.Distinct().OrderBy(v => v, StringComparer.Ordinal)):
                return false;
            case CustomPropertyChange.Replace:
                QrsEntityEdit.RemoveItems(entity, property, Of);
                Add(entity, property, definition, values.Distinct());
                return true;
            default:
                string[] added = values.Distinct().Where(v => !current.Contains(v, StringComparer.Ordinal)).ToArray();
                Add(entity, property, definition, added);
                return added.Length > 0;
        }
    }

    private static void Add(JsonObject entity, string property, Guid definition, IEnumerable<string> values)
    {
        if (entity[property] is not JsonArray items)
        {
            items = new JsonArray();
            entity[property] = items;
        }

        foreach (string value in values)
        {
            items.Add(new JsonObject { ["value"] = value, ["definition"] = new JsonObject { ["id"] = definition.ToString() } });
        }
    }
}

/// <summary>The kinds of entity that carry custom properties, as a definition's objectTypes name them (App, Stream, User, ReloadTask...).</summary>
public static class CustomPropertyObjectTypes
{
    public static IReadOnlyList<string> All { get; } = QrsEntityFamilies.All
        .Where(f => QrsEntityEdit.Carries(f, "CustomProperties"))
        .Select(f => f.EntityType.Name)
        .Distinct()
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The name as QRS spells it ('app' is 'App'); a kind that takes no custom properties is QrsUnknownObjectType.</summary>
    public static string Normalise(string objectType) =>
        All.FirstOrDefault(t => string.Equals(t, objectType, StringComparison.OrdinalIgnoreCase))
        ?? throw new QrsCommandException("QrsUnknownObjectType", ErrorCategory.InvalidArgument,
            $"'{objectType}' is not a kind of entity that takes custom properties; these do: {string.Join(", ", All)}.", objectType);
}
