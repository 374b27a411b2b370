using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs;

/// <summary>The calls of QRS about users that are more than storing an entity: directory syncs and removal, audits, privileges.</summary>
public sealed partial class QrsClient
{
    /// <summary>Starts a sync of user directories (POST /userdirectoryconnector/syncuserdirectories); QRS runs it in the background.</summary>
    public async Task SyncUserDirectoriesAsync(IEnumerable<Guid> directoryIds, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("userdirectoryconnector/syncuserdirectories"), Json(IdArray(directoryIds)), cancellation).ConfigureAwait(false);
    }

    /// <summary>Deletes a user directory and every user in it (DELETE /userdirectoryconnector/deleteudandusers).</summary>
    public async Task DeleteUserDirectoryAndUsersAsync(Guid directoryId, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs("userdirectoryconnector/deleteudandusers", ("userdirectoryid", directoryId)), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>The rules of a category (security, license, sync) as they apply to users and resources (POST /systemrule/{category}/audit).</summary>
    public async Task<Audit> AuditAsync(string category, AuditParameters parameters, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"systemrule/{category.ToLowerInvariant()}/audit"), Json(parameters), cancellation).ConfigureAwait(false);
        return await response.ReadJsonAsync<Audit>().ConfigureAwait(false) ?? throw response.Unexpected(typeof(Audit), new JsonException("the answer is empty"));
    }

    /// <summary>What the connection's user may do with an entity as it is (POST /{family}/previewprivileges): read, update, ...</summary>
    public async Task<IReadOnlyList<string>> PreviewPrivilegesAsync(QrsEntity entity, CancellationToken cancellation = default)
    {
        QrsEntityFamily family = QrsEntityFamilies.OfType(entity.GetType()) ?? throw new ArgumentException($"{entity.GetType().Name} is not the type of a QRS entity family.", nameof(entity));
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs(family.Name + "/previewprivileges"), Json(entity), cancellation).ConfigureAwait(false);
        string text = await response.ReadTextAsync().ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            var privileges = new List<string>();
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                privileges.Add(item.GetString() ?? string.Empty);
            }

            return privileges;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw response.Unexpected(typeof(string[]), exception);
        }
    }
}
