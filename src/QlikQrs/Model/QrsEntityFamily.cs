using System;
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

    public override string ToString() => Name;
}

internal static partial class QrsEntityFamilies
{
    public static QrsEntityFamily? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(f => string.Equals(f.EntityType.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The family a typed object belongs to, from its full or condensed type.</summary>
    public static QrsEntityFamily? OfType(Type type) => All.FirstOrDefault(f => f.EntityType == type || f.CondensedType == type);
}
