using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>The QRS calls that are more than storing entities: app files, exports, selections, uploads.</summary>
public sealed partial class QrsApi
{
    public const string QlikAppContentType = "application/vnd.qlik.sense.app";

    private EntityFamily Apps => Schema.Family("app")!;

    private async Task<bool> TryFlowAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        IQueryCollection query = context.Request.Query;
        bool privileges = QueryValues.Flag(query, "privileges");
        Guid id = s.Length > 1 && Guid.TryParse(s[1], out Guid parsed) ? parsed : Guid.Empty;

        switch (s)
        {
            case ["app", "upload"] when method == "POST":
                await UploadApp(context, user, privileges, target: null);
                return true;
            case ["app", "upload", "replace"] when method == "POST":
                Guid target = Guid.TryParse(query["targetappid"], out Guid t) ? t : throw QrsException.BadRequest("targetappid is required.");
                await UploadApp(context, user, privileges, target);
                return true;
            case ["app", _] when method == "DELETE" && id != Guid.Empty:
                if (!_store.Delete(Apps, id))
                {
                    throw QrsException.NotFound();
                }

                File.Delete(_content.AppFile(id));
                context.Response.StatusCode = 204;
                return true;
            case ["app", _, "export"] when method == "GET" && id != Guid.Empty:
                RequireApp(id);
                await QrsHttp.WriteValue(context, 200, Guid.NewGuid().ToString());
                return true;
            case ["app", _, "export", _] when method == "POST" && id != Guid.Empty:
                await ExportApp(context, id, Guid.TryParse(s[3], out Guid token) ? token : throw QrsException.BadRequest("The export token must be a GUID."), user);
                return true;
            case ["app", _, "export", _] when method == "DELETE" && id != Guid.Empty:
                _content.Cancel(_exports.TryRemove(s[3], out Guid pending) ? pending : Guid.Empty);
                await QrsHttp.WriteJson(context, 200, new JsonObject { ["schemaPath"] = "AppExportResponse", ["exportToken"] = s[3], ["appId"] = id.ToString(), ["cancelled"] = true });
                return true;
            case ["app", _, "copy"] when method == "POST" && id != Guid.Empty:
                await CopyApp(context, id, query["name"], QueryValues.Flag(query, "includecustomproperties"), user, privileges);
                return true;
            case ["app", _, "publish"] when method == "PUT" && id != Guid.Empty:
                await PublishApp(context, id, query["stream"], query["name"], user, privileges);
                return true;
            case ["app", _, "replace"] when method == "PUT" && id != Guid.Empty:
                await ReplaceApp(context, id, query["app"], user, privileges);
                return true;
            case ["app", _, "reload"] when method == "POST" && id != Guid.Empty:
                RequireApp(id);
                _store.Patch(Apps, id, a => a["lastReloadTime"] = QrsDate.Now(), user);
                context.Response.StatusCode = 204;
                return true;
            case ["selection", ..] when s.Length >= 2 && id == Guid.Empty && method == "POST" && Schema.Family(string.Join('/', s.Skip(1))) is EntityFamily selected:
                await CreateSelection(context, selected, user);
                return true;
            case ["selection", _, ..] when s.Length >= 3 && id != Guid.Empty:
                return await ActOnSelection(context, id, s.Skip(2).ToArray(), user, privileges);
            default:
                return false;
        }
    }

    /// <summary>GET /tempcontent/{token}/{file name}: an export, once, for the user who asked for it.</summary>
    public Task DownloadTempContent(HttpContext context, string token, QrsUser user) => Download(context, token, user);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> _exports = new(StringComparer.OrdinalIgnoreCase);

    private StoredEntity RequireApp(Guid id) => _store.Find(Apps, id) ?? throw QrsException.NotFound();

    private async Task UploadApp(HttpContext context, QrsUser user, bool privileges, Guid? target)
    {
        HttpRequest request = context.Request;
        string? name = request.Query["name"];
        if (target is null && string.IsNullOrWhiteSpace(name))
        {
            throw QrsException.BadRequest("The name of the app is required (?name=).");
        }

        Guid id = target ?? Guid.NewGuid();
        if (target is Guid existing)
        {
            RequireApp(existing);
        }

        long size = await ReceiveFile(request, _content.AppFile(id), context);
        StoredEntity app = target is null
            ? _store.Create(Apps, new JsonObject { ["id"] = id.ToString(), ["name"] = name, ["fileSize"] = size, ["appId"] = id.ToString() }, user)
            : _store.Patch(Apps, id, a => a["fileSize"] = size, user);
        await WriteEntity(context, 201, app, Apps, privileges);
    }

    /// <summary>The app file arrives as application/vnd.qlik.sense.app or as a multipart form; either way it goes to disk as it comes.</summary>
    private static async Task<long> ReceiveFile(HttpRequest request, string path, HttpContext context)
    {
        string contentType = request.ContentType ?? string.Empty;
        if (contentType.StartsWith(QlikAppContentType, StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return await SandboxContent.SaveAsync(QrsHttp.UnboundedBody(context), path, context.RequestAborted);
        }

        if (MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            string boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value ?? throw QrsException.BadRequest("The multipart body has no boundary.");
            var reader = new MultipartReader(boundary, QrsHttp.UnboundedBody(context));
            for (MultipartSection? section = await reader.ReadNextSectionAsync(context.RequestAborted); section is not null; section = await reader.ReadNextSectionAsync(context.RequestAborted))
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition) && disposition.IsFileDisposition())
                {
                    return await SandboxContent.SaveAsync(section.Body, path, context.RequestAborted);
                }
            }

            throw QrsException.BadRequest("The multipart body holds no file.");
        }

        throw new QrsException(415, $"Unsupported Media Type: send the app as {QlikAppContentType}.");
    }

    private async Task ExportApp(HttpContext context, Guid id, Guid token, QrsUser user)
    {
        StoredEntity app = RequireApp(id);
        string file = _content.SeededAppFile(id);

        string fileName = app.Value.GetProperty("name").GetString() + ".qvf";
        Guid download = _content.Offer(file, fileName, user);
        _exports[token.ToString()] = download;
        await QrsHttp.WriteJson(context, 201, new JsonObject
        {
            ["schemaPath"] = "AppExportResponse",
            ["exportToken"] = token.ToString(),
            ["appId"] = id.ToString(),
            ["downloadPath"] = $"/tempcontent/{download}/{Uri.EscapeDataString(fileName)}?serverNodeId={Guid.Empty}",
            ["cancelled"] = false,
        });
    }

    private async Task Download(HttpContext context, string tokenText, QrsUser user)
    {
        SandboxContent.PendingDownload download = _content.Take(Guid.TryParse(tokenText, out Guid token) ? token : throw QrsException.NotFound(), user);
        try
        {
            await using var file = new FileStream(download.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            context.Response.StatusCode = 200;
            context.Response.ContentType = download.FileName.EndsWith(".log", StringComparison.OrdinalIgnoreCase) ? "text/plain; charset=utf-8" : "application/octet-stream";
            context.Response.ContentLength = file.Length;
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = download.FileName }.ToString();
            await file.CopyToAsync(context.Response.Body, 81920, context.RequestAborted);
        }
        finally
        {
            File.Delete(download.Path);
        }
    }

    private async Task CopyApp(HttpContext context, Guid id, string? name, bool includeCustomProperties, QrsUser user, bool privileges)
    {
        StoredEntity source = RequireApp(id);
        Guid copyId = Guid.NewGuid();
        File.Copy(_content.SeededAppFile(id), _content.AppFile(copyId));

        StoredEntity copy = _store.Create(Apps, new JsonObject
        {
            ["id"] = copyId.ToString(),
            ["name"] = string.IsNullOrEmpty(name) ? source.Value.GetProperty("name").GetString() : name,
            ["description"] = source.Value.GetProperty("description").GetString(),
            ["fileSize"] = source.Value.GetProperty("fileSize").GetInt64(),
            ["appId"] = copyId.ToString(),
            ["sourceAppId"] = id.ToString(),
            ["customProperties"] = includeCustomProperties && source.Value.TryGetProperty("customProperties", out JsonElement values)
                ? JsonNode.Parse(values.GetRawText())
                : new JsonArray(),
        }, user);
        await WriteEntity(context, 201, copy, Apps, privileges);
    }

    private async Task PublishApp(HttpContext context, Guid id, string? stream, string? name, QrsUser user, bool privileges)
    {
        StoredEntity app = RequireApp(id);
        EntityFamily streams = Schema.Family("stream")!;
        if (!Guid.TryParse(stream, out Guid streamId) || _store.Find(streams, streamId) is null)
        {
            throw QrsException.BadRequest($"The stream '{stream}' does not exist.");
        }

        if (app.Value.GetProperty("published").GetBoolean())
        {
            throw QrsException.BadRequest("The app is already published.");
        }

        StoredEntity published = _store.Patch(Apps, id, a =>
        {
            a["published"] = true;
            a["publishTime"] = QrsDate.Now();
            a["stream"] = new JsonObject { ["id"] = streamId.ToString() };
            if (!string.IsNullOrEmpty(name))
            {
                a["name"] = name;
            }
        }, user);
        await WriteEntity(context, 200, published, Apps, privileges);
    }

    /// <summary>PUT /app/{id}/replace?app={target}: the target keeps its id, stream and owner and takes the source's content.</summary>
    private async Task ReplaceApp(HttpContext context, Guid source, string? target, QrsUser user, bool privileges)
    {
        StoredEntity from = RequireApp(source);
        if (!Guid.TryParse(target, out Guid targetId) || _store.Find(Apps, targetId) is null)
        {
            throw QrsException.BadRequest($"The target app '{target}' does not exist.");
        }

        File.Copy(_content.SeededAppFile(source), _content.AppFile(targetId), overwrite: true);

        StoredEntity replaced = _store.Patch(Apps, targetId, a =>
        {
            a["fileSize"] = from.Value.GetProperty("fileSize").GetInt64();
            a["lastReloadTime"] = from.Value.GetProperty("lastReloadTime").GetString();
        }, user);
        await WriteEntity(context, 200, replaced, Apps, privileges);
    }

    private async Task CreateSelection(HttpContext context, EntityFamily family, QrsUser user)
    {
        TypeShape type = Schema.Type(family.Entity);
        var items = new JsonArray(Select(family, context.Request.Query["filter"], null).Select(e => (JsonNode)new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = family.Entity,
            ["objectID"] = e.Id.ToString(),
            ["objectName"] = e.Value.TryGetProperty("name", out JsonElement n) ? n.GetString() : string.Empty,
        }).ToArray());
        StoredEntity selection = _store.Create(Schema.Family("selection")!, new JsonObject { ["items"] = items }, user);
        await WriteEntity(context, 201, selection, Schema.Family("selection")!, privileges: false);
    }

    private async Task<bool> ActOnSelection(HttpContext context, Guid selectionId, string[] rest, QrsUser user, bool privileges)
    {
        StoredEntity selection = _store.Find(Schema.Family("selection")!, selectionId) ?? throw QrsException.NotFound();
        string[] tail = rest.Length > 1 && rest[^1] is "full" or "count" ? rest[..^1] : rest;
        string? action = tail.Length < rest.Length ? rest[^1] : null;
        EntityFamily family = Schema.Family(string.Join('/', tail)) ?? throw QrsException.NotFound();
        HashSet<string> ids = selection.Value.GetProperty("items").EnumerateArray()
            .Where(i => string.Equals(i.GetProperty("type").GetString(), family.Entity, StringComparison.OrdinalIgnoreCase))
            .Select(i => i.GetProperty("objectID").GetString()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        IEnumerable<StoredEntity> chosen = Select(family, context.Request.Query["filter"], context.Request.Query["orderby"]).Where(e => ids.Contains(e.Id.ToString()));
        switch (context.Request.Method, action)
        {
            case ("GET", null):
                await WriteList(context, chosen, Schema.Type(family.Condensed), privileges);
                return true;
            case ("GET", "full"):
                await WriteList(context, chosen, Schema.Type(family.Entity), privileges);
                return true;
            case ("GET", "count"):
                await QrsHttp.WriteJson(context, 200, new JsonObject { ["value"] = chosen.Count() });
                return true;
            case ("DELETE", null):
                foreach (StoredEntity entity in chosen.ToArray())
                {
                    _store.Delete(family, entity.Id);
                    if (family == Apps)
                    {
                        File.Delete(_content.AppFile(entity.Id));
                    }
                }

                context.Response.StatusCode = 204;
                return true;
            default:
                return false;
        }
    }
}
