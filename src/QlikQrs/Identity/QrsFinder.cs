using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>
/// Lists a family's entities by names (with wildcards), ids and QRS filters in one call, as the typed Get- cmdlets
/// do: QRS narrows as far as its filter language can, and what it cannot say (a ? wildcard, a pattern in the
/// middle) is matched here. Literal names and ids that match nothing are Qrs&lt;Noun&gt;NotFound errors.
/// </summary>
public static class QrsFinder
{
    public static IAsyncEnumerable<T> FindAsync<T>(QrsClient client, IReadOnlyList<string>? names, IReadOnlyList<Guid>? ids, string? filter,
        string? orderBy = null, CancellationToken cancellation = default)
        where T : QrsEntity, IQrsEntity =>
        FindAsync(client, names, ids, filter, query => client.ListAsync<T>(query with { OrderBy = orderBy }, cancellation), typeof(T).Name.Replace("Condensed", string.Empty), cancellation);

    /// <summary>The same over entities that <paramref name="list"/> reads (several families at once), named <paramref name="noun"/> in errors.</summary>
    public static async IAsyncEnumerable<T> FindAsync<T>(QrsClient client, IReadOnlyList<string>? names, IReadOnlyList<Guid>? ids, string? filter,
        Func<QrsQuery, IAsyncEnumerable<T>> list, string noun, [EnumeratorCancellation] CancellationToken cancellation = default)
        where T : QrsEntity
    {
        QrsNamePattern[] patterns = (names ?? Array.Empty<string>()).Select(n => new QrsNamePattern(n)).ToArray();
        (string? nameFilter, bool exact) = patterns.Length == 0 ? (null, true) : QrsNamePattern.ServerFilter(patterns);
        string? idFilter = ids is null || ids.Count == 0 ? null : "(" + string.Join(" or ", ids.Select(id => $"id eq {id}")) + ")";
        var seenNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seenIds = new HashSet<Guid>();
        await foreach (T entity in list(new QrsQuery(QrsFilterBuilder.And(filter, QrsFilterBuilder.Or(nameFilter, idFilter)))).WithCancellation(cancellation).ConfigureAwait(false))
        {
            string? name = (entity as IQrsNamedEntity)?.Name;
            Guid? entityId = (entity as IQrsEntity)?.Id;
            bool byId = entityId is Guid id && ids is not null && ids.Contains(id);
            if (byId || patterns.Length == 0 || exact && nameFilter is not null || patterns.Any(p => p.IsMatch(name)))
            {
                if (name is not null)
                {
                    seenNames.Add(name);
                }

                if (entityId is Guid seen)
                {
                    seenIds.Add(seen);
                }

                yield return entity;
            }
        }

        string words = QrsIdentity.WordsOf(noun);
        foreach (QrsNamePattern missing in patterns.Where(p => !QrsNamePattern.HasWildcards(p.Pattern) && !seenNames.Contains(p.Pattern)))
        {
            throw new QrsCommandException($"Qrs{noun}NotFound", System.Management.Automation.ErrorCategory.ObjectNotFound,
                $"There is no {words} named '{missing.Pattern}'{(filter is null ? string.Empty : " that also fits the other conditions")} on {client.Connection.ComputerName}.",
                missing.Pattern, $"Get-Qrs{noun} lists them; names may use * and ? as wildcards.");
        }

        foreach (Guid missing in (ids ?? Array.Empty<Guid>()).Where(id => !seenIds.Contains(id)))
        {
            throw new QrsCommandException($"Qrs{noun}NotFound", System.Management.Automation.ErrorCategory.ObjectNotFound,
                $"There is no {words} with the id {missing}{(filter is null ? string.Empty : " that also fits the other conditions")} on {client.Connection.ComputerName}.", missing,
                $"Get-Qrs{noun} lists them; names may use * and ? as wildcards.");
        }
    }
}
