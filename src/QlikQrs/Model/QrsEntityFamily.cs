using System;
using System.Collections.Generic;
using System.Linq;

namespace QlikQrs.Model;

[Flags]
public enum QrsOperations
{
    None = 0,
    List = 1,
    Get = 2,
    Full = 4,
    Count = 8,
    Create = 16,
    CreateMany = 32,
    Update = 64,
    Delete = 128,
    Table = 256,
}

/// <summary>An entity family: its path under /qrs, its full and condensed types, and the endpoints it has.</summary>
public sealed class QrsEntityFamily
{
    internal QrsEntityFamily(string name, Type entityType, Type condensedType, QrsOperations operations)
    {
        Name = name;
        EntityType = entityType;
        CondensedType = condensedType;
        Operations = operations;
    }

    /// <summary>The family as QRS's path names it: app, stream, reloadtask, app/object, ...</summary>
    public string Name { get; }

    public Type EntityType { get; }

    public Type CondensedType { get; }

    public QrsOperations Operations { get; }

    public bool Supports(QrsOperations operation) => (Operations & operation) == operation;

    /// <summary>The family an entity (full or condensed) belongs to.</summary>
    public static QrsEntityFamily Of(IQrsEntity entity) =>
        QrsEntityFamilies.OfType(entity.GetType()) ?? throw new ArgumentException($"{entity.GetType().FullName} is not a QRS model type.", nameof(entity));

    public override string ToString() => Name;
}

internal static partial class QrsEntityFamilies
{
    // In this file, not beside Create() in the generated one: the order of static initialisers is defined within a
    // file only, and the lookups need the table.
    internal static readonly QrsEntityFamily[] All = Create();

    private static readonly Dictionary<Type, QrsEntityFamily> s_byType = All
        .SelectMany(f => new[] { (Type: f.EntityType, Family: f), (Type: f.CondensedType, Family: f) })
        .ToDictionary(p => p.Type, p => p.Family);

    private static readonly Dictionary<string, QrsEntityFamily> s_byName = ByName();

    /// <summary>A family by its path (app, app/object) or, failing that, by its entity type's name (App, AppObject).</summary>
    public static QrsEntityFamily? Find(string name) => s_byName.TryGetValue(name, out QrsEntityFamily? family) ? family : null;

    /// <summary>The family a typed object belongs to, from its full or condensed type.</summary>
    public static QrsEntityFamily? OfType(Type type) => s_byType.TryGetValue(type, out QrsEntityFamily? family) ? family : null;

    private static Dictionary<string, QrsEntityFamily> ByName()
    {
        var byName = All.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        foreach (QrsEntityFamily family in All)
        {
            if (!byName.ContainsKey(family.EntityType.Name))
            {
                byName.Add(family.EntityType.Name, family);
            }
        }

        return byName;
    }
}
