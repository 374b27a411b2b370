using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Content;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs;

/// <summary>The content calls of QRS: app objects published and approved, extensions and content files moved.</summary>
public sealed partial class QrsClient
{
    private const string ZipContentType = "application/zip";
    private const string FileContentType = "application/octet-stream";

    /// <summary>Publishes (PUT /app/object/{id}/publish) or unpublishes an app object; returns it as QRS now has it.</summary>
    public async Task<AppObject> PublishAppObjectAsync(Guid id, bool publish, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Put, QrsUrl.Qrs($"app/object/{id}/{(publish ? "publish" : "unpublish")}"), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<AppObject>().ConfigureAwait(false), response);
    }

    /// <summary>Approves (POST /app/object/{id}/approve) or unapproves a published app object; returns it as QRS now has it.</summary>
    public async Task<AppObject> ApproveAppObjectAsync(Guid id, bool approve, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"app/object/{id}/{(approve ? "approve" : "unapprove")}"), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<AppObject>().ConfigureAwait(false), response);
    }

    /// <summary>
    /// Uploads an extension's zip (POST /extension/upload), streamed; <paramref name="password"/> opens a protected zip,
    /// <paramref name="replace"/> replaces an extension of the same name. Returns the extensions the zip held.
    /// </summary>
    public async Task<IReadOnlyList<Extension>> UploadExtensionAsync(FileInfo zip, string? password, bool replace, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs("extension/upload", ("pwd", string.IsNullOrEmpty(password) ? null : password), ("replace", replace ? true : null));
        using QrsResponse response = await SendAsync(HttpMethod.Post, path, QrsTransfer.Upload(zip, ZipContentType, progress), cancellation).ConfigureAwait(false);
        var extensions = new List<Extension>();
        await foreach (Extension extension in response.ReadListAsync<Extension>().ConfigureAwait(false))
        {
            extension.AttachTo(Connection);
            extensions.Add(extension);
        }

        return extensions;
    }

    /// <summary>Deletes an extension with its files (DELETE /extension/name/{name}).</summary>
    public async Task DeleteExtensionAsync(string name, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Delete, QrsUrl.Qrs($"extension/name/{QrsUrl.Segment(name)}"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>The files of a content library or of an app's content, as QRS lists them.</summary>
    public async Task<IReadOnlyList<StaticContentReferenceCondensed>> ListContentFilesAsync(QrsContentPlace place, CancellationToken cancellation = default)
    {
        if (place.Family == "contentlibrary")
        {
            ContentLibrary library = await GetAsync<ContentLibrary>(place.Id, cancellation: cancellation).ConfigureAwait(false);
            return library.References ?? new List<StaticContentReferenceCondensed>();
        }

        var files = new List<StaticContentReferenceCondensed>();
        await foreach (AppContent content in ListAsync<AppContent>(new QrsQuery($"app.id eq {place.Id}"), cancellation).ConfigureAwait(false))
        {
            files.AddRange(content.References ?? new List<StaticContentReferenceCondensed>());
        }

        return files;
    }

    /// <summary>Uploads a file into a content library or an app's content (POST .../uploadfile), streamed; returns the path it is served at.</summary>
    public async Task<string> UploadContentFileAsync(QrsContentPlace place, FileInfo file, string externalPath, bool overwrite, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs($"{place.Family}/{QrsUrl.Segment(place.Segment)}/uploadfile", ("externalpath", externalPath), ("overwrite", overwrite));
        using QrsResponse response = await SendAsync(HttpMethod.Post, path, QrsTransfer.Upload(file, FileContentType, progress), cancellation).ConfigureAwait(false);
        string text = (await response.ReadTextAsync().ConfigureAwait(false)).Trim();
        try
        {
            // QRS answers with the path as a JSON string; a bare text is taken as it is.
            using JsonDocument document = text.StartsWith("\"", StringComparison.Ordinal) ? JsonDocument.Parse(text) : JsonDocument.Parse("null");
            string? served = document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : text;
            return string.IsNullOrEmpty(served) ? $"{place.LogicalRoot}/{externalPath}" : served!;
        }
        catch (JsonException exception)
        {
            throw response.Unexpected(typeof(string), exception);
        }
    }

    /// <summary>Deletes a file from a content library or an app's content (DELETE .../deletecontent).</summary>
    public async Task DeleteContentFileAsync(QrsContentPlace place, string externalPath, CancellationToken cancellation = default)
    {
        string path = QrsUrl.Qrs($"{place.Family}/{QrsUrl.Segment(place.Segment)}/deletecontent", ("externalpath", externalPath));
        using QrsResponse _ = await SendAsync(HttpMethod.Delete, path, null, cancellation).ConfigureAwait(false);
    }

    /// <summary>Downloads a content file from the path it is served at, streamed into <paramref name="path"/>; never a partial file.</summary>
    public async Task<FileInfo> DownloadContentFileAsync(string logicalPath, string path, bool overwrite, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        using QrsResponse download = await SendAsync(HttpMethod.Get, logicalPath, null, cancellation, expectJson: false).ConfigureAwait(false);
        return await QrsTransfer.SaveAsync(download, path, overwrite, progress).ConfigureAwait(false);
    }
}
