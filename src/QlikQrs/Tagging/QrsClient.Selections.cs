using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs;

/// <summary>QRS's selections: a set of entities chosen by a filter on the server, acted on in one call.</summary>
public sealed partial class QrsClient
{
    /// <summary>POST /selection/{type}?filter=: the entities of <paramref name="family"/> that fit <paramref name="filter"/>, chosen on the server.</summary>
    public async Task<Selection> SelectAsync(QrsEntityFamily family, string filter, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("selection/" + family.Name, ("filter", filter)), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<Selection>().ConfigureAwait(false), response);
    }

    /// <summary>DELETE /selection/{id}/{type}: deletes every entity of <paramref name="family"/> the selection holds, in one call.</summary>
    public async Task DeleteSelectedAsync(Guid selection, QrsEntityFamily family, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs($"selection/{selection}/{family.Name}"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>DELETE /selection/{id}: the selection itself, once it has served.</summary>
    public async Task ForgetSelectionAsync(Guid selection)
    {
        try
        {
            // Not the caller's token: a Ctrl+C during the delete must still remove the selection.
            using QrsResponse _ = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs($"selection/{selection}"), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QrsRequestException)
        {
            // QRS drops selections on its own after a while; failing to remove one early is not the user's problem.
        }
    }
}
