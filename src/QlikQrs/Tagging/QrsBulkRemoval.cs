using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Tagging;

/// <summary>
/// Removes every entity that fits a QRS filter as QRS itself offers it: one selection made on the server and one
/// DELETE of what it holds, however many thousands that is, instead of a call per entity. The count comes first
/// (GET /count), so the confirmation can name it and -WhatIf sends nothing that changes the site.
/// </summary>
public static class QrsBulkRemoval
{
    /// <summary>
    /// Counts the entities of <paramref name="families"/> that fit <paramref name="filter"/>, asks
    /// <paramref name="confirm"/> once with "1,234 apps matching &lt;filter&gt;", and removes them; the selections are
    /// removed afterwards, also when the delete failed. Returns how many were removed (0 when none matched or the
    /// answer was no).
    /// </summary>
    public static async Task<long> RemoveAsync(QrsClient client, IReadOnlyList<QrsEntityFamily> families, string filter, string noun,
        Func<string, Task<bool>> confirm, CancellationToken cancellation)
    {
        var counts = new List<(QrsEntityFamily Family, long Count)>();
        foreach (QrsEntityFamily family in families)
        {
            counts.Add((family, await client.CountAsync(family, filter, cancellation).ConfigureAwait(false)));
        }

        long total = counts.Sum(c => c.Count);
        if (total == 0 || !await confirm(Describe(total, noun, filter)).ConfigureAwait(false))
        {
            return 0;
        }

        foreach ((QrsEntityFamily family, long count) in counts.Where(c => c.Count > 0))
        {
            Selection selection = await client.SelectAsync(family, filter, cancellation).ConfigureAwait(false);
            try
            {
                await client.DeleteSelectedAsync(selection.Id!.Value, family, cancellation).ConfigureAwait(false);
            }
            finally
            {
                await client.ForgetSelectionAsync(selection.Id!.Value).ConfigureAwait(false);
            }
        }

        return total;
    }

    /// <summary>"1,234 apps matching name sw 'Test'".</summary>
    public static string Describe(long count, string noun, string filter) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? noun : Plural(noun))} matching {filter}";

    private static string Plural(string noun) =>
        noun.EndsWith("y", StringComparison.Ordinal) && noun.Length > 1 && "aeiou".IndexOf(noun[noun.Length - 2]) < 0 ? noun.Substring(0, noun.Length - 1) + "ies"
        : noun.EndsWith("s", StringComparison.Ordinal) ? noun + "es"
        : noun + "s";
}
