using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tagging;

/// <summary>Tags by name: found, matched by pattern, or created.</summary>
public static class QrsTags
{
    private static QrsEntityFamily Family => QrsEntityFamilies.OfType(typeof(Tag))!;

    /// <summary>The id of the tag named <paramref name="name"/> (names are unique in QRS, in any case), or null.</summary>
    public static async Task<Guid?> FindAsync(QrsClient client, string name, CancellationToken cancellation)
    {
        await foreach (TagCondensed tag in client.ListAsync<TagCondensed>(new QrsQuery("name eq " + QrsFilterBuilder.Literal(name)), cancellation).ConfigureAwait(false))
        {
            return tag.Id;
        }

        return null;
    }

    /// <summary>
    /// The ids of the tags <paramref name="pattern"/> matches; a name without wildcards that no tag has is
    /// QrsTagNotFound, as a typo should not pass for a tag that is simply not there.
    /// </summary>
    public static async Task<Guid[]> MatchAsync(QrsClient client, QrsNamePattern pattern, CancellationToken cancellation)
    {
        var ids = new List<Guid>();
        await foreach (TagCondensed tag in client.ListAsync<TagCondensed>(new QrsQuery(pattern.ServerFilter().Filter), cancellation).ConfigureAwait(false))
        {
            if (pattern.IsMatch(tag.Name) && tag.Id is Guid id)
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0 && !QrsNamePattern.HasWildcards(pattern.Pattern))
        {
            throw new QrsCommandException("QrsTagNotFound", ErrorCategory.ObjectNotFound, $"There is no tag named '{pattern.Pattern}' on {client.Connection.ComputerName}.", pattern.Pattern,
                "Get-QrsEntity -Type Tag lists them; names may use * and ? as wildcards.");
        }

        return ids.ToArray();
    }

    /// <summary>Creates the tag; when another client created it meanwhile (QRS refuses a second tag of a name), that one.</summary>
    public static async Task<Guid> CreateAsync(QrsClient client, string name, CancellationToken cancellation)
    {
        try
        {
            return ((Tag)await client.CreateAsync(Family, new Tag { Name = name }, cancellation).ConfigureAwait(false)).Id!.Value;
        }
        catch (QrsRequestException exception) when (exception.ErrorId == "QrsConflict")
        {
            if (await FindAsync(client, name, cancellation).ConfigureAwait(false) is Guid made)
            {
                return made;
            }

            throw;
        }
    }
}
