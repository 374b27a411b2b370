using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The content calls: app objects published and approved, files of content libraries and of apps' own content,
/// extensions from their zips, apps imported from the import folder, and the files served at their logical paths.
/// </summary>
public sealed partial class QrsApi
{
    private EntityFamily AppObjects => Schema.Family("app/object")!;

    private EntityFamily ContentLibraries => Schema.Family("contentlibrary")!;

    private EntityFamily AppContents => Schema.Family("app/content")!;

    private EntityFamily Extensions => Schema.Family("extension")!;

    private EntityFamily StaticReferences => Schema.Family("staticcontentreference")!;

    private async Task<bool> TryContentAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        IQueryCollection query = context.Request.Query;
        bool privileges = QueryValues.Flag(query, "privileges");
        Guid id = s.Length > 2 && Guid.TryParse(s[2], out Guid parsed) ? parsed : Guid.Empty;

        switch (s)
        {
            case ["app", "object", _, "publish" or "unpublish"] when method == "PUT" && id != Guid.Empty:
                await WriteEntity(context, 200, PublishAppObject(id, s[3] == "publish", user), AppObjects, privileges);
                return true;
            case ["app", "object", _, "approve" or "unapprove"] when method == "POST" && id != Guid.Empty:
                await WriteEntity(context, 201, ApproveAppObject(id, s[3] == "approve", user), AppObjects, privileges);
                return true;
            case ["contentlibrary", _, "uploadfile"] when method == "POST":
                await UploadStaticFile(context, LibraryPlace(RawSegment(context, 1)), user);
                return true;
            case ["contentlibrary", _, "deletecontent"] when method == "DELETE":
                DeleteStaticFile(context, LibraryPlace(RawSegment(context, 1)), user);
                return true;
            case ["appcontent", _, "uploadfile"] when method == "POST":
                await UploadStaticFile(context, AppContentPlace(s[1], user), user);
                return true;
            case ["appcontent", _, "deletecontent"] when method == "DELETE":
                DeleteStaticFile(context, AppContentPlace(s[1], user), user);
                return true;
            case ["sharedcontent", _, "uploadfile"] when method == "POST":
                await UploadStaticFile(context, SharedContentPlace(s[1]), user);
                return true;
            case ["sharedcontent", _, "deletecontent"] when method == "DELETE":
                DeleteStaticFile(context, SharedContentPlace(s[1]), user);
                return true;
            case ["app", "content", _, "fileextensionwhitelist"] when method == "GET":
                await WriteEntity(context, 200, AppContentWhitelist(s[2]), Schema.Family("fileextensionwhitelist")!, privileges);
                return true;
            case ["staticcontent", "enumeratefiles"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, EnumerateFiles(query["path"]));
                return true;
            case ["extension", "upload"] when method == "POST":
                StoredEntity[] uploaded = await UploadExtension(context, name: null, QueryValues.Flag(query, "replace"), user);
                await QrsHttp.WriteStream(context, 201, writer =>
                {
                    writer.WriteStartArray();
                    foreach (StoredEntity extension in uploaded)
                    {
                        _renderer.Write(writer, extension.Value, Schema.Type(Extensions.Entity), privileges);
                    }

                    writer.WriteEndArray();
                });
                return true;
            case ["extension", "name", _] when method == "POST":
                await WriteEntity(context, 201, (await UploadExtension(context, RawSegment(context, 2), replace: true, user))[0], Extensions, privileges);
                return true;
            case ["extension", "name", _] when method == "DELETE":
                DeleteExtension(FindExtension(RawSegment(context, 2)) ?? throw QrsException.NotFound($"There is no extension '{RawSegment(context, 2)}'."), user);
                context.Response.StatusCode = 204;
                return true;
            case ["extension", "schema"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, ExtensionSchemas());
                return true;
            case ["extension", _, "uploadfile"] when method == "POST":
                await UploadStaticFile(context, ExtensionPlace(RawSegment(context, 1)), user);
                return true;
            case ["extension", _, "deletecontent"] when method == "DELETE":
                DeleteStaticFile(context, ExtensionPlace(RawSegment(context, 1)), user);
                return true;
            case ["app", "importfolder"] when method == "GET":
                await QrsHttp.WriteStream(context, 200, writer => writer.WriteStringValue(_content.ImportFolder));
                return true;
            case ["app", "import"] when method == "POST":
                await ImportApp(context, user, privileges, target: null);
                return true;
            case ["app", "import", "replace"] when method == "POST":
                await ImportApp(context, user, privileges, Guid.TryParse(query["targetappid"], out Guid target) ? target : throw QrsException.BadRequest("targetappid is required."));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// GET /content/{library}/{file} and /appcontent/{app id}/{file}, outside /qrs: the files as the site serves them
    /// to users and scripts. A seeded file, never uploaded, is made on first use from its reference.
    /// </summary>
    public async Task<bool> TryServeStaticFileAsync(HttpContext context, string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 3 || !HttpMethods.IsGet(context.Request.Method) || segments[0].ToLowerInvariant() is not ("content" or "appcontent"))
        {
            return false;
        }

        StaticPlace? place = segments[0].Equals("content", StringComparison.OrdinalIgnoreCase)
            ? FindLibrary(segments[1]) is StoredEntity library ? new StaticPlace(ContentLibraries, library.Id, $"/content/{segments[1]}", "contentlibrary") : null
            : Guid.TryParse(segments[1], out Guid appId) && FindAppContent(appId) is StoredEntity content ? new StaticPlace(AppContents, content.Id, $"/appcontent/{appId}", "appcontent") : null;
        string externalPath = string.Join('/', segments.Skip(2));
        StoredEntity reference = (place is null ? null : FindReference(place, externalPath)) ?? throw QrsException.NotFound($"There is no file at {path}.");
        string file = _content.StaticFile(place!.Folder, place.OwnerId, externalPath, reference.Value.GetProperty("size").GetInt64());
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = stream.Length;
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = Path.GetFileName(externalPath) }.ToString();
        await stream.CopyToAsync(context.Response.Body, 81920, context.RequestAborted);
        return true;
    }

    /// <summary>The owner of a set of files (a library, an app's content, an extension), the root of their logical paths and their folder.</summary>
    private sealed record StaticPlace(EntityFamily Owners, Guid OwnerId, string LogicalRoot, string Folder);

    /// <summary>A path segment as the client sent it, unescaped: names may hold characters the lowered copy would change.</summary>
    private static string RawSegment(HttpContext context, int index) =>
        Uri.UnescapeDataString(context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries)[index + 1]);

    private StoredEntity PublishAppObject(Guid id, bool publish, QrsUser user)
    {
        StoredEntity appObject = _store.Find(AppObjects, id) ?? throw QrsException.NotFound($"There is no app object {id}.");
        if (publish && !(AppOf(appObject)?.Value.GetProperty("published").GetBoolean() ?? false))
        {
            throw QrsException.BadRequest("The object's app is not published; only objects of a published app can be published.");
        }

        return _store.Patch(AppObjects, id, o =>
        {
            o["published"] = publish;
            o["publishTime"] = publish ? QrsDate.Now() : QrsDate.Never;
            if (!publish)
            {
                o["approved"] = false;
            }
        }, user);
    }

    private StoredEntity ApproveAppObject(Guid id, bool approve, QrsUser user)
    {
        StoredEntity appObject = _store.Find(AppObjects, id) ?? throw QrsException.NotFound($"There is no app object {id}.");
        if (approve && !appObject.Value.GetProperty("published").GetBoolean())
        {
            throw QrsException.BadRequest("The object is not published; only a published object can be approved.");
        }

        return _store.Patch(AppObjects, id, o => o["approved"] = approve, user);
    }

    private StoredEntity? AppOf(StoredEntity appObject) =>
        appObject.Value.TryGetProperty("app", out JsonElement app) && app.ValueKind == JsonValueKind.Object && Guid.TryParse(app.GetProperty("id").GetString(), out Guid appId)
            ? _store.Find(Apps, appId)
            : null;

    private StoredEntity? FindLibrary(string name) =>
        _store.List(ContentLibraries).FirstOrDefault(l => string.Equals(l.Value.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase));

    private StoredEntity? FindExtension(string name) =>
        _store.List(Extensions).FirstOrDefault(x => string.Equals(x.Value.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase));

    private StoredEntity? FindAppContent(Guid appId) =>
        _store.List(AppContents).FirstOrDefault(c => c.Value.TryGetProperty("app", out JsonElement app) && app.ValueKind == JsonValueKind.Object && app.GetProperty("id").GetString() == appId.ToString());

    private StaticPlace LibraryPlace(string name)
    {
        StoredEntity library = FindLibrary(name) ?? throw QrsException.NotFound($"There is no content library '{name}'.");
        return new StaticPlace(ContentLibraries, library.Id, $"/content/{library.Value.GetProperty("name").GetString()}", "contentlibrary");
    }

    private StaticPlace ExtensionPlace(string name)
    {
        StoredEntity extension = FindExtension(name) ?? throw QrsException.NotFound($"There is no extension '{name}'.");
        return new StaticPlace(Extensions, extension.Id, $"/extensions/{extension.Value.GetProperty("name").GetString()}", "extension");
    }

    /// <summary>An app's own content; QRS makes it with the app's first file.</summary>
    private StaticPlace AppContentPlace(string appText, QrsUser user)
    {
        Guid appId = Guid.TryParse(appText, out Guid given) && _store.Find(Apps, given) is not null ? given : throw QrsException.NotFound($"There is no app '{appText}'.");
        StoredEntity content = FindAppContent(appId) ?? _store.Create(AppContents, new JsonObject
        {
            ["app"] = new JsonObject { ["id"] = appId.ToString() },
            ["whiteList"] = new JsonObject { ["id"] = SandboxSeeder.DefaultWhitelist(_store, "AppContent").ToString() },
            ["references"] = new JsonArray(),
        }, user);
        return new StaticPlace(AppContents, content.Id, $"/appcontent/{appId}", "appcontent");
    }

    private StaticPlace SharedContentPlace(string idText)
    {
        EntityFamily shared = Schema.Family("sharedcontent")!;
        StoredEntity content = (Guid.TryParse(idText, out Guid id) ? _store.Find(shared, id) : null) ?? throw QrsException.NotFound($"There is no shared content with the id {idText}.");
        return new StaticPlace(shared, content.Id, $"/sharedcontent/{id}", "sharedcontent");
    }

    /// <summary>GET /app/content/{appid}/fileextensionwhitelist: the file types an app's content takes (the default for app content until it has its own).</summary>
    private StoredEntity AppContentWhitelist(string appText)
    {
        Guid appId = Guid.TryParse(appText, out Guid given) && _store.Find(Apps, given) is not null ? given : throw QrsException.NotFound($"There is no app '{appText}'.");
        Guid whitelist = FindAppContent(appId) is StoredEntity content && content.Value.TryGetProperty("whiteList", out JsonElement own)
            && own.ValueKind == JsonValueKind.Object && Guid.TryParse(own.GetProperty("id").GetString(), out Guid ownId)
            ? ownId
            : SandboxSeeder.DefaultWhitelist(_store, "AppContent");
        return _store.Find(Schema.Family("fileextensionwhitelist")!, whitelist)!;
    }

    /// <summary>GET /staticcontent/enumeratefiles?path=: the files of the site's static content under a logical path, such as /content/Logos.</summary>
    private JsonArray EnumerateFiles(string? path)
    {
        string root = string.IsNullOrWhiteSpace(path) ? throw QrsException.BadRequest("?path= is required.") : path.TrimEnd('/') + "/";
        return new JsonArray(_store.List(StaticReferences)
            .Select(r => r.Value.GetProperty("logicalPath").GetString())
            .Where(p => p is not null && p.StartsWith(root, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p, StringComparer.OrdinalIgnoreCase)
            .Select(p => (JsonNode)new JsonObject { ["path"] = p, ["schemaPath"] = "EnumeratedFile" })
            .ToArray());
    }

    private StoredEntity? FindReference(StaticPlace place, string externalPath)
    {
        string logical = $"{place.LogicalRoot}/{externalPath}";
        return References(place).FirstOrDefault(r => string.Equals(r.Value.GetProperty("logicalPath").GetString(), logical, StringComparison.OrdinalIgnoreCase));
    }

    private IEnumerable<StoredEntity> References(StaticPlace place) =>
        (_store.Find(place.Owners, place.OwnerId)?.Value.TryGetProperty("references", out JsonElement references) ?? false) && references.ValueKind == JsonValueKind.Array
            ? references.EnumerateArray().Select(r => Guid.TryParse(r.GetProperty("id").GetString(), out Guid id) ? _store.Find(StaticReferences, id) : null).OfType<StoredEntity>()
            : Enumerable.Empty<StoredEntity>();

    /// <summary>POST .../uploadfile?externalpath=&amp;overwrite=: the body, streamed to disk, becomes the file; answers its logical path.</summary>
    private async Task UploadStaticFile(HttpContext context, StaticPlace place, QrsUser user)
    {
        string[] segments = QueryValues.RelativeFilePath(context.Request.Query, "externalpath");
        string externalPath = string.Join('/', segments);
        bool overwrite = QueryValues.Flag(context.Request.Query, "overwrite");
        if (FindReference(place, externalPath) is not null && !overwrite)
        {
            throw QrsException.Conflict($"'{externalPath}' already exists in {place.LogicalRoot}; upload with overwrite=true to replace it.");
        }

        long size = await SandboxContent.SaveAsync(QrsHttp.UnboundedBody(context), _content.StaticFilePath(place.Folder, place.OwnerId, externalPath), context.RequestAborted);
        string logical = $"{place.LogicalRoot}/{externalPath}";
        AddStaticReference(place, logical, externalPath, size, user);
        await QrsHttp.WriteStream(context, 201, writer => writer.WriteStringValue(logical));
    }

    /// <summary>DELETE .../deletecontent?externalpath=: the file and its reference go.</summary>
    private void DeleteStaticFile(HttpContext context, StaticPlace place, QrsUser user)
    {
        string externalPath = string.Join('/', QueryValues.RelativeFilePath(context.Request.Query, "externalpath"));
        StoredEntity reference = FindReference(place, externalPath) ?? throw QrsException.NotFound($"There is no file '{externalPath}' in {place.LogicalRoot}.");
        RemoveReference(place, reference, user);
        context.Response.StatusCode = 204;
    }

    private void RemoveReference(StaticPlace place, StoredEntity reference, QrsUser user)
    {
        _store.Patch(place.Owners, place.OwnerId, o =>
            o["references"] = new JsonArray((o["references"] as JsonArray ?? new JsonArray()).Where(r => r?["id"]?.ToString() != reference.Id.ToString()).Select(r => r!.DeepClone()).ToArray()), user);
        _store.Delete(StaticReferences, reference.Id);
        File.Delete(_content.StaticFilePath(place.Folder, place.OwnerId, reference.Value.GetProperty("externalPath").GetString()!));
    }

    private void AddStaticReference(StaticPlace place, string logicalPath, string externalPath, long size, QrsUser user)
    {
        if (FindReference(place, externalPath) is StoredEntity existing)
        {
            _store.Patch(StaticReferences, existing.Id, r => r["size"] = size, user);
            return;
        }

        StoredEntity reference = _store.Create(StaticReferences, new JsonObject
        {
            ["logicalPath"] = logicalPath,
            ["externalPath"] = externalPath,
            ["fileName"] = Path.GetFileName(externalPath),
            ["size"] = size,
            ["staticContentDataType"] = 0,
            ["serveOptions"] = 0,
        }, user);
        _store.Patch(place.Owners, place.OwnerId, o =>
        {
            JsonArray references = o["references"] as JsonArray ?? new JsonArray();
            references.Add(new JsonObject { ["id"] = reference.Id.ToString() });
            o["references"] = references;
        }, user);
    }

    /// <summary>
    /// POST /extension/upload (named after the zip's .qext; replace=true to replace one) and /extension/name/{name}
    /// (that extension, created or given the zip's files): a zip holding a .qext. A zip
    /// with encrypted entries needs its password (pwd=); the sandbox cannot decrypt, so it takes any password given.
    /// </summary>
    private async Task<StoredEntity[]> UploadExtension(HttpContext context, string? name, bool replace, QrsUser user)
    {
        string zip = Path.Combine(_content.Folder, "temp", Guid.NewGuid().ToString("N") + ".zip");
        await SandboxContent.SaveAsync(QrsHttp.UnboundedBody(context), zip, context.RequestAborted);
        try
        {
            using ZipArchive archive = OpenZip(zip);
            ZipArchiveEntry[] entries = archive.Entries.Where(e => e.Length > 0).ToArray();
            string qext = entries.FirstOrDefault(e => e.FullName.EndsWith(".qext", StringComparison.OrdinalIgnoreCase))?.FullName
                ?? throw QrsException.BadRequest("The zip holds no .qext file, so it is not an extension.");
            if (entries.Any(e => e.IsEncrypted) && string.IsNullOrEmpty(context.Request.Query["pwd"]))
            {
                throw QrsException.BadRequest("The zip is password protected; upload it with its password (pwd=).");
            }

            name ??= Path.GetFileNameWithoutExtension(qext);
            StoredEntity? existing = FindExtension(name);
            if (existing is not null && !replace)
            {
                throw QrsException.Conflict($"The extension '{name}' already exists; upload with replace=true to replace it.");
            }

            StoredEntity extension = existing ?? _store.Create(Extensions, new JsonObject
            {
                ["name"] = name,
                ["whiteList"] = new JsonObject { ["id"] = SandboxSeeder.DefaultWhitelist(_store, "Extension").ToString() },
            }, user);
            var place = new StaticPlace(Extensions, extension.Id, $"/extensions/{name}", "extension");
            foreach (StoredEntity old in References(place).ToArray())
            {
                RemoveReference(place, old, user);
            }

            foreach (ZipArchiveEntry entry in entries)
            {
                string target = _content.StaticFilePath(place.Folder, place.OwnerId, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!entry.IsEncrypted)
                {
                    entry.ExtractToFile(target, overwrite: true);
                }

                AddStaticReference(place, $"{place.LogicalRoot}/{entry.FullName}", entry.FullName, entry.Length, user);
            }

            return new[] { _store.Find(Extensions, extension.Id)! };
        }
        finally
        {
            File.Delete(zip);
        }
    }

    private static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw QrsException.BadRequest("The body is not a zip file.");
        }
    }

    private void DeleteExtension(StoredEntity extension, QrsUser user)
    {
        var place = new StaticPlace(Extensions, extension.Id, $"/extensions/{extension.Value.GetProperty("name").GetString()}", "extension");
        foreach (StoredEntity reference in References(place).ToArray())
        {
            RemoveReference(place, reference, user);
        }

        _store.Delete(Extensions, extension.Id);
    }

    /// <summary>GET /extension/schema: each extension's name with its .qext, as the hub reads them.</summary>
    private JsonObject ExtensionSchemas()
    {
        var schemas = new JsonObject();
        foreach (StoredEntity extension in _store.List(Extensions))
        {
            string name = extension.Value.GetProperty("name").GetString()!;
            var place = new StaticPlace(Extensions, extension.Id, $"/extensions/{name}", "extension");
            StoredEntity? qext = References(place).FirstOrDefault(r => r.Value.GetProperty("externalPath").GetString()!.EndsWith(".qext", StringComparison.OrdinalIgnoreCase));
            string? file = qext is null ? null : _content.StaticFilePath(place.Folder, place.OwnerId, qext.Value.GetProperty("externalPath").GetString()!);
            JsonNode? manifest = null;
            try
            {
                manifest = file is not null && File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) : null;
            }
            catch (JsonException)
            {
                // A .qext that is not JSON is listed by name alone, as the hub shows a broken extension.
            }

            schemas[name] = manifest is JsonObject ? manifest : new JsonObject { ["name"] = name, ["type"] = "visualization" };
        }

        return schemas;
    }

    /// <summary>POST /app/import and /app/import/replace: an app from a .qvf in the import folder, named (a JSON string) in the body.</summary>
    private async Task ImportApp(HttpContext context, QrsUser user, bool privileges, Guid? target)
    {
        string text = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        string fileName;
        try
        {
            fileName = JsonNode.Parse(text) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.ToString() : throw new JsonException();
        }
        catch (JsonException)
        {
            throw QrsException.BadRequest("The body must be the file's name as a JSON string.");
        }

        if (fileName.IndexOfAny(['/', '\\']) >= 0 || fileName is "." or ".." || fileName.Trim().Length == 0)
        {
            throw QrsException.BadRequest($"'{fileName}' is not a file name in the import folder.");
        }

        string source = Path.Combine(_content.ImportFolder, fileName);
        if (!File.Exists(source))
        {
            throw QrsException.NotFound($"There is no file '{fileName}' in the import folder.");
        }

        string? name = context.Request.Query["name"];
        Guid id = target ?? Guid.NewGuid();
        if (target is Guid existing)
        {
            RequireApp(existing);
        }

        File.Copy(source, _content.AppFile(id), overwrite: true);
        long size = new FileInfo(source).Length;
        StoredEntity app = target is null
            ? _store.Create(Apps, new JsonObject { ["id"] = id.ToString(), ["name"] = string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(fileName) : name, ["fileSize"] = size, ["appId"] = id.ToString() }, user)
            : _store.Patch(Apps, id, a => a["fileSize"] = size, user);
        await WriteEntity(context, 201, app, Apps, privileges);
    }
}
