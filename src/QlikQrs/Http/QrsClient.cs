using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using Stream = System.IO.Stream;

namespace QlikQrs;

/// <summary>What to ask of a list: a QRS filter, an order, and whether to include the caller's privileges.</summary>
public sealed record QrsQuery(string? Filter = null, string? OrderBy = null, bool Privileges = false)
{
    internal (string, object?)[] Pairs() => new (string, object?)[]
    {
        ("filter", string.IsNullOrWhiteSpace(Filter) ? null : Filter),
        ("orderby", string.IsNullOrWhiteSpace(OrderBy) ? null : OrderBy),
        ("privileges", Privileges ? true : null),
    };
}

/// <summary>
/// The QRS API of one connection, typed: entity families (list, get, count, create, update, delete, streamed lists)
/// and the calls that are more than storing an entity (app upload, export, copy, publish, replace, reload). Every
/// object it returns remembers the connection. Usable without PowerShell.
/// </summary>
public sealed partial class QrsClient
{
    private const string AppContentType = "application/vnd.qlik.sense.app";

    private static readonly ConcurrentDictionary<Type, Func<QrsResponse, IAsyncEnumerable<QrsEntity>>> s_listReaders = new();

    internal QrsClient(QrsConnection connection)
    {
        Connection = connection;
    }

    public QrsConnection Connection { get; }

    /// <summary>The entities of <typeparamref name="T"/>'s family: condensed when T is the condensed type, full otherwise.</summary>
    public async IAsyncEnumerable<T> ListAsync<T>(QrsQuery? query = null, [EnumeratorCancellation] CancellationToken cancellation = default)
        where T : QrsEntity, IQrsEntity
    {
        QrsEntityFamily family = FamilyOf(typeof(T));
        using QrsResponse response = await SendAsync(HttpMethod.Get, ListPath(family, typeof(T) == family.EntityType, query), null, cancellation).ConfigureAwait(false);
        await foreach (T item in response.ReadListAsync<T>().ConfigureAwait(false))
        {
            item.AttachTo(Connection);
            yield return item;
        }
    }

    /// <summary>The entities of a family named at run time (Get-QrsEntity -Type).</summary>
    public async IAsyncEnumerable<QrsEntity> ListAsync(QrsEntityFamily family, bool full, QrsQuery? query = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        Type type = full ? family.EntityType : family.CondensedType;
        Func<QrsResponse, IAsyncEnumerable<QrsEntity>> read = ListReader(type);
        using QrsResponse response = await SendAsync(HttpMethod.Get, ListPath(family, full, query), null, cancellation).ConfigureAwait(false);
        await foreach (QrsEntity item in read(response).ConfigureAwait(false))
        {
            item.AttachTo(Connection);
            yield return item;
        }
    }

    /// <summary>The full entity with this id.</summary>
    public async Task<T> GetAsync<T>(Guid id, bool privileges = false, CancellationToken cancellation = default)
        where T : QrsEntity, IQrsEntity
    {
        QrsEntityFamily family = FamilyOf(typeof(T));
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"{family.Name}/{id}", ("privileges", privileges ? true : null)), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<T>().ConfigureAwait(false), response);
    }

    public async Task<QrsEntity> GetAsync(QrsEntityFamily family, Guid id, bool privileges = false, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"{family.Name}/{id}", ("privileges", privileges ? true : null)), null, cancellation).ConfigureAwait(false);
        return Attached(await ReadAsync(response, family.EntityType).ConfigureAwait(false), response);
    }

    public async Task<long> CountAsync(QrsEntityFamily family, string? filter = null, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"{family.Name}/count", ("filter", string.IsNullOrWhiteSpace(filter) ? null : filter)), null, cancellation).ConfigureAwait(false);
        JsonElement value = await response.ReadValueAsync().ConfigureAwait(false);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt64() : throw response.Unexpected(typeof(long), new FormatException("the value is not a number"));
    }

    /// <summary>POSTs a new entity: a model object, a hashtable or a PSCustomObject; returns what QRS stored.</summary>
    public async Task<QrsEntity> CreateAsync(QrsEntityFamily family, object body, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs(family.Name), Json(body), cancellation).ConfigureAwait(false);
        return Attached(await ReadAsync(response, family.EntityType).ConfigureAwait(false), response);
    }

    /// <summary>POST /many: several new entities in one call.</summary>
    public async IAsyncEnumerable<QrsEntity> CreateManyAsync(QrsEntityFamily family, object body, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        Func<QrsResponse, IAsyncEnumerable<QrsEntity>> read = ListReader(family.EntityType);
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs(family.Name + "/many"), Json(body), cancellation).ConfigureAwait(false);
        await foreach (QrsEntity item in read(response).ConfigureAwait(false))
        {
            item.AttachTo(Connection);
            yield return item;
        }
    }

    /// <summary>PUTs the whole entity; QRS refuses it with 409 (QrsConflict) when its modifiedDate is stale.</summary>
    public async Task<QrsEntity> UpdateAsync(QrsEntityFamily family, Guid id, object body, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Put, QrsUrl.Qrs($"{family.Name}/{id}"), Json(body), cancellation).ConfigureAwait(false);
        return Attached(await ReadAsync(response, family.EntityType).ConfigureAwait(false), response);
    }

    public async Task DeleteAsync(QrsEntityFamily family, Guid id, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs($"{family.Name}/{id}"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>Uploads a QVF as a new app (POST /qrs/app/upload), streamed.</summary>
    public async Task<App> UploadAppAsync(FileInfo file, string name, bool keepData = true, bool excludeConnections = false, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs("app/upload", ("name", name), ("keepdata", keepData), ("excludeconnections", excludeConnections));
        using QrsResponse response = await SendAsync(HttpMethod.Post, path, QrsTransfer.Upload(file, AppContentType, progress), cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<App>().ConfigureAwait(false), response);
    }

    /// <summary>Uploads a QVF into an existing app (POST /qrs/app/upload/replace): the app keeps its id, stream and owner.</summary>
    public async Task<App> UploadReplaceAsync(FileInfo file, Guid targetApp, bool keepData = true, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs("app/upload/replace", ("targetappid", targetApp), ("keepdata", keepData));
        using QrsResponse response = await SendAsync(HttpMethod.Post, path, QrsTransfer.Upload(file, AppContentType, progress), cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<App>().ConfigureAwait(false), response);
    }

    /// <summary>
    /// Exports an app to a file: asks QRS for an export (POST /export/{token}), downloads its downloadPath once, and
    /// removes the export afterwards, also when the download failed.
    /// </summary>
    public async Task<FileInfo> ExportAppAsync(Guid id, string path, bool skipData = false, bool overwrite = false, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var token = Guid.NewGuid();
        string exportPath = QrsUrl.Qrs($"app/{id}/export/{token}", ("skipData", skipData ? true : null));
        AppExportResponse export;
        using (QrsResponse response = await SendAsync(HttpMethod.Post, exportPath, null, cancellation).ConfigureAwait(false))
        {
            export = await response.ReadJsonAsync<AppExportResponse>().ConfigureAwait(false)
                ?? throw response.Unexpected(typeof(AppExportResponse), new JsonException("the answer is empty"));
            if (string.IsNullOrEmpty(export.DownloadPath))
            {
                throw response.Unexpected(typeof(AppExportResponse), new JsonException("it has no downloadPath"));
            }
        }

        try
        {
            using QrsResponse download = await SendAsync(HttpMethod.Get, export.DownloadPath!, null, cancellation, expectJson: false).ConfigureAwait(false);
            return await QrsTransfer.SaveAsync(download, path, overwrite, progress).ConfigureAwait(false);
        }
        finally
        {
            await ForgetExportAsync(id, token).ConfigureAwait(false);
        }
    }

    public async Task<App> CopyAppAsync(Guid id, string? name = null, bool includeCustomProperties = false, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs($"app/{id}/copy", ("name", string.IsNullOrEmpty(name) ? null : name), ("includecustomproperties", includeCustomProperties ? true : null));
        using QrsResponse response = await SendAsync(HttpMethod.Post, path, null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<App>().ConfigureAwait(false), response);
    }

    public async Task<App> PublishAppAsync(Guid id, Guid stream, string? name = null, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs($"app/{id}/publish", ("stream", stream), ("name", string.IsNullOrEmpty(name) ? null : name));
        using QrsResponse response = await SendAsync(HttpMethod.Put, path, null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<App>().ConfigureAwait(false), response);
    }

    /// <summary>The QMC's "replace" of a published app: <paramref name="target"/> takes <paramref name="source"/>'s content and keeps its id, stream and owner.</summary>
    public async Task<App> ReplaceAppAsync(Guid source, Guid target, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Put, QrsUrl.Qrs($"app/{source}/replace", ("app", target)), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<App>().ConfigureAwait(false), response);
    }

    public async Task ReloadAppAsync(Guid id, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"app/{id}/reload"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>Sends one request through the connection's pipeline; the answer's headers said success.</summary>
    internal async Task<QrsResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation, bool expectJson = true)
    {
        using var request = new HttpRequestMessage(method, QrsUrl.Resolve(Connection, method, path)) { Content = content };
        return await QrsRequestSender.SendAsync(Connection, request, cancellation, expectJson).ConfigureAwait(false);
    }

    internal static HttpContent Json(object body)
    {
        byte[] bytes = body switch
        {
            byte[] raw => raw,
            QrsEntity entity => JsonSerializer.SerializeToUtf8Bytes(entity, entity.GetType(), QrsJson.Options),
            _ => PowerShellJson.ToJson(body),
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task ForgetExportAsync(Guid id, Guid token)
    {
        try
        {
            // Not the caller's token: a Ctrl+C during the download must still clean the export up, within the timeout.
            using QrsResponse _ = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs($"app/{id}/export/{token}"), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QrsRequestException)
        {
            // The export expires on its own in QRS; failing to remove it early is not the user's problem.
        }
    }

    private static QrsEntityFamily FamilyOf(Type type) =>
        QrsEntityFamilies.OfType(type) ?? throw new ArgumentException($"{type.Name} is not the type of a QRS entity family.");

    private static string ListPath(QrsEntityFamily family, bool full, QrsQuery? query) =>
        QrsUrl.Qrs(full ? family.Name + "/full" : family.Name, (query ?? new QrsQuery()).Pairs());

    private static async Task<QrsEntity?> ReadAsync(QrsResponse response, Type type)
    {
        using Stream body = await response.OpenBodyAsync().ConfigureAwait(false);
        try
        {
            return (QrsEntity?)await JsonSerializer.DeserializeAsync(body, type, QrsJson.Options, response.Exchange.Token).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw response.Unexpected(type, exception);
        }
    }

    /// <summary>The streamed list reader for a type known only at run time, made once per type.</summary>
    private static Func<QrsResponse, IAsyncEnumerable<QrsEntity>> ListReader(Type type) =>
        s_listReaders.GetOrAdd(type, static t => (Func<QrsResponse, IAsyncEnumerable<QrsEntity>>)typeof(QrsClient)
            .GetMethod(nameof(ReadList), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(t).CreateDelegate(typeof(Func<QrsResponse, IAsyncEnumerable<QrsEntity>>)));

    private T Attached<T>(T? entity, QrsResponse response)
        where T : QrsEntity
    {
        if (entity is null)
        {
            throw response.Unexpected(typeof(T), new JsonException("the answer is empty"));
        }

        entity.AttachTo(Connection);
        return entity;
    }

    private static async IAsyncEnumerable<QrsEntity> ReadList<T>(QrsResponse response)
        where T : QrsEntity
    {
        await foreach (T item in response.ReadListAsync<T>().ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
