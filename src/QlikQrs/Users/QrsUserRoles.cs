using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace QlikQrs.Users;

/// <summary>A user's roles as QRS keeps them: a list of names, compared without regard to case, each once.</summary>
public static class QrsUserRoles
{
    /// <summary>The roles given, each once; an empty or blank name, or one with control characters, is QrsUserRoleInvalid.</summary>
    public static string[] Checked(IEnumerable<string?> roles, string parameter)
    {
        string?[] given = roles.ToArray();
        if (given.Any(r => string.IsNullOrWhiteSpace(r) || r.Any(char.IsControl)))
        {
            throw new QrsCommandException("QrsUserRoleInvalid", ErrorCategory.InvalidArgument, $"-{parameter} has an empty role or one with control characters.", parameter,
                "Give role names as the QMC shows them: RootAdmin, ContentAdmin, SecurityAdmin...");
        }

        return given.Select(r => r!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>The roles after a change: replaced by <paramref name="set"/> if given, then <paramref name="add"/> added and <paramref name="remove"/> taken away.</summary>
    public static List<string> Apply(IEnumerable<string>? current, IReadOnlyCollection<string>? set, IReadOnlyCollection<string>? add, IReadOnlyCollection<string>? remove)
    {
        var roles = new List<string>(set ?? current ?? Enumerable.Empty<string>());
        roles.AddRange((add ?? Array.Empty<string>()).Where(r => !roles.Contains(r, StringComparer.OrdinalIgnoreCase)));
        roles.RemoveAll(r => (remove ?? Array.Empty<string>()).Contains(r, StringComparer.OrdinalIgnoreCase));
        return roles;
    }
}
