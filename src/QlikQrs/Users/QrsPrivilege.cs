using System;
using System.Collections.Generic;

namespace QlikQrs.Users;

/// <summary>What the connection's user may do with one entity: read, update, delete, publish...</summary>
public sealed class QrsPrivilege
{
    public string Type { get; init; } = string.Empty;

    public Guid Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The user the privileges are for: the connection's (DIR\userid).</summary>
    public string? User { get; init; }

    public IReadOnlyList<string> Privileges { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Type} '{Name}': {string.Join(", ", Privileges)}";
}
