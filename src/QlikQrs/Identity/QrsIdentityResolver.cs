using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>
/// Decides which entities an identity stands for, on a connection: an entity given is taken as it is; an id or a
/// name is looked up (condensed, one call). A literal name or id that matches nothing is Qrs&lt;Noun&gt;NotFound; a
/// pattern that matches nothing is simply nothing, as with PowerShell's own wildcards.
/// </summary>
public static class QrsIdentityResolver
{
    private const int CandidatesShown = 10;

    /// <summary>Every entity <paramref name="identity"/> stands for.</summary>
    public static async IAsyncEnumerable<IQrsEntity> ResolveAsync<TFull, TCondensed>(QrsClient client, QrsIdentity<TFull, TCondensed> identity, [EnumeratorCancellation] CancellationToken cancellation = default)
        where TFull : QrsEntity, IQrsEntity
        where TCondensed : QrsEntity, IQrsEntity
    {
        if (identity.WrongKind is string wrong)
        {
            throw new QrsCommandException("QrsWrongEntityType", ErrorCategory.InvalidArgument,
                $"'{identity.Given}' is {QrsIdentity.Article(wrong)} {wrong}, not {QrsIdentity.Article(identity.Words)} {identity.Words}.", identity.Given,
                $"Give {QrsIdentity.Article(identity.Words)} {identity.Words}: its name, its id or the object {identity.ListCommand} returns.");
        }

        if (identity.Entity is IQrsEntity { Id: not null } given)
        {
            yield return given;
            yield break;
        }

        QrsNamePattern? pattern = identity.Id is null ? new QrsNamePattern(identity.Name!) : null;
        string? filter = identity.Id is Guid id ? $"id eq {id}" : identity.NameFilter(pattern!);
        bool found = false;
        await foreach (IQrsEntity candidate in identity.CandidatesAsync(client, filter, cancellation).ConfigureAwait(false))
        {
            if (pattern is null || identity.NameMatches(pattern, candidate))
            {
                found = true;
                yield return candidate;
            }
        }

        if (!found && !identity.IsPattern)
        {
            throw NotFound(identity, client.Connection);
        }
    }

    /// <summary>The one entity <paramref name="identity"/> stands for; several is Qrs&lt;Noun&gt;Ambiguous, with the candidates named.</summary>
    public static async Task<IQrsEntity> ResolveOneAsync<TFull, TCondensed>(QrsClient client, QrsIdentity<TFull, TCondensed> identity, CancellationToken cancellation = default)
        where TFull : QrsEntity, IQrsEntity
        where TCondensed : QrsEntity, IQrsEntity
    {
        var matches = new List<IQrsEntity>();
        await foreach (IQrsEntity match in ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            matches.Add(match);
        }

        return matches.Count switch
        {
            0 => throw NotFound(identity, client.Connection),
            1 => matches[0],
            _ => throw new QrsCommandException($"Qrs{identity.Noun}Ambiguous", ErrorCategory.InvalidArgument,
                $"'{identity.Name}' matches {matches.Count} {identity.Words}s: " +
                string.Join(", ", matches.Take(CandidatesShown).Select(Describe)) + (matches.Count > CandidatesShown ? ", ..." : string.Empty) + ".",
                identity, $"Give the id of the one you mean, or a name that matches only it."),
        };
    }

    /// <summary>"'Sales' (1c0d...)": how an entity is named in messages and confirmations.</summary>
    public static string Describe(IQrsEntity entity) =>
        entity is IQrsNamedEntity { Name: string name } ? $"'{name}' ({entity.Id})" : $"{entity.Id}";

    private static QrsCommandException NotFound(QrsIdentity identity, QrsConnection connection)
    {
        string what = identity.Id is Guid id ? $"with the id {id}" : $"named '{identity.Name}'";
        return new QrsCommandException($"Qrs{identity.Noun}NotFound", ErrorCategory.ObjectNotFound,
            $"There is no {identity.Words} {what} on {connection.ComputerName}.", identity,
            $"{identity.ListCommand} lists them; names may use * and ? as wildcards.");
    }
}
