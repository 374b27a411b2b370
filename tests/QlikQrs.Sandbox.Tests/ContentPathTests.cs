using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>The content paths of QRS as the sandbox answers them: app objects, content files, extensions, imports, data connections.</summary>
public sealed class ContentPathTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ContentPathTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TheSeededSiteHasSheetsAndStoriesSomePublishedSomeApprovedAndSomeOnlyPublished()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonArray objects = (await client.GetJsonAsync("qrs/app/object/full")).AsArray();

        Assert.Contains(objects, o => (string?)o!["objectType"] == "sheet");
        Assert.Contains(objects, o => (string?)o!["objectType"] == "story");
        Assert.Contains(objects, o => (bool)o!["published"]! && (bool)o["approved"]!);
        Assert.Contains(objects, o => (bool)o!["published"]! && !(bool)o["approved"]!);
        Assert.Contains(objects, o => !(bool)o!["published"]!);
        Assert.All(objects, o => Assert.NotNull(o!["owner"]?["userId"]));
        Assert.DoesNotContain(objects, o => (bool)o!["approved"]! && !(bool)o["published"]!);
    }

    [Fact]
    public async Task TheSeededSiteHasLibrariesWithFilesExtensionsAndDataConnectionsOfSeveralKinds()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode logos = (await client.GetJsonAsync("qrs/contentlibrary/full?" + QrsTestClient.Filter("name eq 'Logos'"))).AsArray().Single()!;
        JsonArray connections = (await client.GetJsonAsync("qrs/dataconnection/full")).AsArray();

        Assert.Contains(logos["references"]!.AsArray(), r => (string?)r!["logicalPath"] == "/content/Logos/company-logo.png");
        Assert.True((int)(await client.GetJsonAsync("qrs/extension/count"))["value"]! >= 3);
        Assert.True(connections.Select(c => (string?)c!["type"]).Distinct().Count() >= 4);
        Assert.Contains(connections, c => ((string?)c!["username"])?.Length > 0);
    }

    [Fact]
    public async Task SharedContentTakesFilesAnAppsContentHasItsWhitelistAndStaticContentListsItsFiles()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode shared = await client.SendJsonAsync(HttpMethod.Post, "qrs/sharedcontent", new JsonObject { ["name"] = "Walk " + Guid.NewGuid().ToString("N"), ["type"] = "Qlik report" }, 201);
        string id = (string)shared["id"]!;

        var (status, text) = await Upload(client, $"qrs/sharedcontent/{id}/uploadfile?externalpath=report.pdf", new byte[] { 1, 2, 3 });
        Assert.Equal(201, status);
        Assert.Contains($"/sharedcontent/{id}/report.pdf", text);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/sharedcontent/{id}/deletecontent?externalpath=report.pdf")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Post, $"qrs/sharedcontent/{Guid.NewGuid()}/uploadfile?externalpath=x.pdf", new JsonObject())).Status);

        string appId = (string)(await client.GetJsonAsync("qrs/app")).AsArray()[0]!["id"]!;
        JsonNode whitelist = await client.GetJsonAsync($"qrs/app/content/{appId}/fileextensionwhitelist");
        Assert.Equal(SandboxSchemaEnum("ContentLibraryType", "AppContent"), (long)whitelist["libraryType"]!);

        JsonArray logos = (await client.GetJsonAsync("qrs/staticcontent/enumeratefiles?path=" + Uri.EscapeDataString("/content/Logos"))).AsArray();
        Assert.Contains(logos, f => (string?)f!["path"] == "/content/Logos/company-logo.png");
        Assert.All(logos, f => Assert.StartsWith("/content/Logos/", (string?)f!["path"]));
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Get, "qrs/staticcontent/enumeratefiles")).Status);
    }

    private static long SandboxSchemaEnum(string name, string value) => QrsSchema.Instance.Enums[name].ValueOf(value)!.Value;

    [Fact]
    public void TheSameSeedBuildsTheSameContentAndAStoreWithoutSiteDefaultsToo()
    {
        var first = new EntityStore(QrsSchema.Instance);
        var second = new EntityStore(QrsSchema.Instance);
        var spec = SeedSpec.Parse("users=20,apps=10,streams=2");
        SandboxSeeder.Seed(first, spec);
        SandboxSeeder.Seed(second, spec);

        foreach (string family in new[] { "app/object", "contentlibrary", "extension", "dataconnection", "staticcontentreference" })
        {
            EntityFamily f = QrsSchema.Instance.Family(family)!;
            Assert.NotEmpty(first.List(f));
            Assert.Equal(first.List(f).Select(e => e.Value.GetRawText()), second.List(f).Select(e => e.Value.GetRawText()));
        }
    }

    [Fact]
    public async Task ADataConnectionsPasswordIsTakenButNeverAnswered()
    {
        using QrsTestClient client = _sandbox.Client();
        string password = "pw-" + Guid.NewGuid().ToString("N");
        JsonNode created = await client.SendJsonAsync(HttpMethod.Post, "qrs/dataconnection",
            new JsonObject { ["name"] = "dc-" + Guid.NewGuid().ToString("N")[..8], ["connectionstring"] = "c:\\data", ["type"] = "folder", ["username"] = "CORP\\svc", ["password"] = password }, 201);
        string id = (string)created["id"]!;

        string[] answers =
        {
            created.ToJsonString(),
            (await client.SendAsync(HttpMethod.Get, $"qrs/dataconnection/{id}")).Text,
            (await client.SendAsync(HttpMethod.Get, "qrs/dataconnection")).Text,
            (await client.SendAsync(HttpMethod.Get, "qrs/dataconnection/full")).Text,
        };

        Assert.All(answers, answer => Assert.DoesNotContain(password, answer));
        Assert.Equal("CORP\\svc", (string?)JsonNode.Parse(answers[1])!["username"]);
        Assert.Equal(password, _sandbox.Server.Store.Find(_sandbox.Server.Store.Schema.Family("dataconnection")!, Guid.Parse(id))!.Value.GetProperty("password").GetString());
    }

    [Fact]
    public async Task AnObjectIsPublishedOnlyInAPublishedAppAndApprovedOnlyWhenPublished()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode inUnpublished = (await client.GetJsonAsync("qrs/app/object/full?" + QrsTestClient.Filter("app.published eq false"))).AsArray().First()!;
        JsonNode privateInPublished = (await client.GetJsonAsync("qrs/app/object/full?" + QrsTestClient.Filter("app.published eq true and published eq false"))).AsArray().First()!;
        string id = (string)privateInPublished["id"]!;

        Assert.Equal(400, (await client.SendAsync(HttpMethod.Put, $"qrs/app/object/{inUnpublished["id"]}/publish")).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Post, $"qrs/app/object/{id}/approve")).Status);

        var (status, text) = await client.SendAsync(HttpMethod.Put, $"qrs/app/object/{id}/publish");
        Assert.Equal((200, true), (status, (bool)JsonNode.Parse(text)!["published"]!));
        (status, text) = await client.SendAsync(HttpMethod.Post, $"qrs/app/object/{id}/approve");
        Assert.Equal((201, true), (status, (bool)JsonNode.Parse(text)!["approved"]!));
        (status, text) = await client.SendAsync(HttpMethod.Put, $"qrs/app/object/{id}/unpublish");
        Assert.Equal((200, false, false), (status, (bool)JsonNode.Parse(text)!["published"]!, (bool)JsonNode.Parse(text)!["approved"]!));
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Put, $"qrs/app/object/{Guid.NewGuid()}/publish")).Status);
    }

    [Fact]
    public async Task AnAppsContentTakesServesAndDeletesFiles()
    {
        using QrsTestClient client = _sandbox.Client();
        string appId = (string)(await client.GetJsonAsync("qrs/app")).AsArray().First()!["id"]!;
        byte[] bytes = Encoding.UTF8.GetBytes("image " + Guid.NewGuid());
        string name = $"img-{Guid.NewGuid():N}.png";

        var (status, text) = await Upload(client, $"qrs/appcontent/{appId}/uploadfile?externalpath={name}", bytes);
        Assert.Equal((201, $"/appcontent/{appId}/{name}"), (status, (string?)JsonNode.Parse(text)));
        Assert.Equal(409, (await Upload(client, $"qrs/appcontent/{appId}/uploadfile?externalpath={name}", bytes)).Status);
        using (HttpResponseMessage served = await client.Http.SendAsync(client.Request(HttpMethod.Get, $"appcontent/{appId}/{name}")))
        {
            Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        }

        JsonNode content = (await client.GetJsonAsync("qrs/app/content/full?" + QrsTestClient.Filter($"app.id eq {appId}"))).AsArray().Single()!;
        Assert.Contains(content["references"]!.AsArray(), r => (string?)r!["logicalPath"] == $"/appcontent/{appId}/{name}");
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/appcontent/{appId}/deletecontent?externalpath={name}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Delete, $"qrs/appcontent/{appId}/deletecontent?externalpath={name}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"appcontent/{appId}/{name}")).Status);
    }

    [Fact]
    public async Task ALibrarysSeededFileIsServedAndItsDeletedFileIsGone()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode library = await client.SendJsonAsync(HttpMethod.Post, "qrs/contentlibrary", new JsonObject { ["name"] = "lib-" + Guid.NewGuid().ToString("N")[..8] }, 201);
        string name = (string)library["name"]!;
        await Upload(client, $"qrs/contentlibrary/{name}/uploadfile?externalpath=a/b.txt", new byte[] { 1, 2, 3 });

        var (status, text) = await client.SendAsync(HttpMethod.Get, "content/Logos/favicon.ico");
        Assert.Equal(200, status);
        Assert.NotEmpty(text);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/contentlibrary/{name}/deletecontent?externalpath=a/b.txt")).Status);
        Assert.Empty((await client.GetJsonAsync($"qrs/contentlibrary/{library["id"]}"))["references"]!.AsArray());
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Get, $"content/{name}/a/b.txt")).Status);
    }

    [Fact]
    public async Task AnExtensionIsUploadedByNameListedInTheSchemaAndDeletedByName()
    {
        using QrsTestClient client = _sandbox.Client();
        string name = "ext" + Guid.NewGuid().ToString("N")[..6];
        byte[] zip = Zip(($"{name}.qext", $$"""{"name":"{{name}}","type":"visualization","version":"1.0.0"}"""), ($"{name}.js", "define([], function () { return {}; });"));

        var (status, text) = await Upload(client, $"qrs/extension/name/{name}", zip);
        Assert.Equal(201, status);
        Assert.Equal(name, (string?)JsonNode.Parse(text)!["name"]);
        JsonNode schema = await client.GetJsonAsync("qrs/extension/schema");
        Assert.Equal("visualization", (string?)schema[name]!["type"]);
        Assert.NotNull(schema["kpi-tile"]);
        Assert.Equal(409, (await Upload(client, "qrs/extension/upload", zip)).Status);
        Assert.Equal(201, (await Upload(client, "qrs/extension/upload?replace=true", zip)).Status);
        Assert.Equal(204, (await client.SendAsync(HttpMethod.Delete, $"qrs/extension/name/{name}")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Delete, $"qrs/extension/name/{name}")).Status);
        Assert.Equal(0, (int)(await client.GetJsonAsync("qrs/extension/count?" + QrsTestClient.Filter($"name eq '{name}'")))["value"]!);
    }

    [Fact]
    public async Task APasswordProtectedExtensionNeedsItsPassword()
    {
        using QrsTestClient client = _sandbox.Client();
        string name = "locked" + Guid.NewGuid().ToString("N")[..6];
        byte[] zip = Encrypted(Zip(($"{name}.qext", "{}")));

        var (status, text) = await Upload(client, "qrs/extension/upload", zip);
        Assert.Equal((400, "The zip is password protected; upload it with its password (pwd=)."), (status, text));
        Assert.Equal(201, (await Upload(client, "qrs/extension/upload?pwd=secret", zip)).Status);
    }

    [Fact]
    public async Task AnAppIsImportedFromTheImportFolder()
    {
        using QrsTestClient client = _sandbox.Client();
        string folder = (string)JsonNode.Parse((await client.SendAsync(HttpMethod.Get, "qrs/app/importfolder")).Text)!;
        string file = $"import-{Guid.NewGuid():N}.qvf";
        await File.WriteAllBytesAsync(Path.Combine(folder, file), new byte[1234]);

        JsonNode app = await client.SendJsonAsync(HttpMethod.Post, "qrs/app/import?name=Imported", JsonValue.Create(file)!, 201);
        var (status, _) = await client.SendAsync(HttpMethod.Post, "qrs/app/import", JsonValue.Create("missing.qvf"));
        var (climbing, _) = await client.SendAsync(HttpMethod.Post, "qrs/app/import", JsonValue.Create("../x.qvf"));

        Assert.Equal(("Imported", 1234L), ((string?)app["name"], (long)app["fileSize"]!));
        Assert.Equal((404, 400), (status, climbing));
    }

    private static async Task<(int Status, string Text)> Upload(QrsTestClient client, string pathAndQuery, byte[] body)
    {
        using HttpRequestMessage request = client.Request(HttpMethod.Post, pathAndQuery);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name, CompressionLevel.NoCompression).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return zip.ToArray();
    }

    /// <summary>The zip with every entry marked encrypted (bit 0 of the flags in the local and central headers), as a password-protected zip has them.</summary>
    internal static byte[] Encrypted(byte[] zip)
    {
        byte[] marked = (byte[])zip.Clone();
        for (int i = 0; i + 4 <= marked.Length; i++)
        {
            uint signature = BitConverter.ToUInt32(marked, i);
            if (signature == 0x04034b50)
            {
                marked[i + 6] |= 1;
            }
            else if (signature == 0x02014b50)
            {
                marked[i + 8] |= 1;
            }
        }

        return marked;
    }
}
