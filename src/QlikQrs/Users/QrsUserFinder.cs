using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Users;

/// <summary>What Get-QrsUser asks for: users by DIR\userid (wildcards), ids, directories, roles, inactivity and a QRS filter.</summary>
public sealed record QrsUserQuery(
    IReadOnlyList<string>? Identities = null,
    IReadOnlyList<Guid>? Ids = null,
    IReadOnlyList<string>? Directories = null,
    IReadOnlyList<string>? Roles = null,
    bool InactiveOnly = false,
    string? Filter = null);

/// <summary>
/// Lists users in one call: QRS narrows by what its filter language can say, the rest (wildcards it cannot express,
/// roles) is matched here. A literal DIR\userid or id that matches nothing is QrsUserNotFound.
/// </summary>
public static class QrsUserFinder
{
    public static async IAsyncEnumerable<User> FindAsync(QrsClient client, QrsUserQuery query, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        QrsUserName[] names = (query.Identities ?? Array.Empty<string>()).Select(n => new QrsUserName(n)).ToArray();
        QrsNamePattern[] directories = (query.Directories ?? Array.Empty<string>()).Select(d => new QrsNamePattern(d)).ToArray();
        Guid[] ids = (query.Ids ?? Array.Empty<Guid>()).ToArray();
        string?[] nameFilters = names.Select(n => n.ServerFilter()).ToArray();
        string? identityFilter = nameFilters.Any(f => f is null) ? null
            : QrsFilterBuilder.Or(nameFilters.Concat(ids.Select(id => $"id eq {id}")).ToArray());
        string?[] directoryFilters = directories.Select(d => d.ServerFilter("userDirectory").Filter).ToArray();
        string? directoryFilter = directoryFilters.Any(f => f is null) ? null : QrsFilterBuilder.Or(directoryFilters);
        string? filter = QrsFilterBuilder.And(query.Filter, identityFilter, directoryFilter, query.InactiveOnly ? "inactive eq true" : null);

        var seen = new HashSet<QrsUserName>();
        var seenIds = new HashSet<Guid>();
        await foreach (User user in client.ListAsync<User>(new QrsQuery(filter), cancellation).ConfigureAwait(false))
        {
            QrsUserName[] matched = names.Where(n => n.IsMatch(user)).ToArray();
            bool byId = user.Id is Guid id && ids.Contains(id);
            bool identityOk = names.Length + ids.Length == 0 || matched.Length > 0 || byId;
            bool directoryOk = directories.Length == 0 || directories.Any(d => d.IsMatch(user.UserDirectory));
            bool roleOk = query.Roles is not { Count: > 0 } roles || (user.Roles ?? new List<string>()).Any(r => roles.Contains(r, StringComparer.OrdinalIgnoreCase));
            bool inactiveOk = !query.InactiveOnly || user.Inactive == true;
            if (identityOk && directoryOk && roleOk && inactiveOk)
            {
                seen.UnionWith(matched);
                if (byId)
                {
                    seenIds.Add(user.Id!.Value);
                }

                yield return user;
            }
        }

        bool narrowed = query.Filter is not null || directories.Length > 0 || query.Roles is { Count: > 0 } || query.InactiveOnly;
        string also = narrowed ? " that also fits the other conditions" : string.Empty;
        foreach (QrsUserName missing in names.Where(n => !n.HasWildcards && !seen.Contains(n)))
        {
            throw NotFound($"There is no user '{missing.Text}'{also} on {client.Connection.ComputerName}.", missing.Text);
        }

        foreach (Guid missing in ids.Where(id => !seenIds.Contains(id)))
        {
            throw NotFound($"There is no user with the id {missing}{also} on {client.Connection.ComputerName}.", missing);
        }
    }

    private static QrsCommandException NotFound(string message, object target) =>
        new("QrsUserNotFound", ErrorCategory.ObjectNotFound, message, target, @"Get-QrsUser lists them; give a user as DIR\userid, * and ? are wildcards.");
}
