using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>A method a path does not answer is a 405 naming the ones it does; a query value that is not what its name asks is a 400 that says which.</summary>
public sealed class RefusedRequestTests : IClassFixture<SandboxFixture>
{
    private const string SomeId = "6a1b7e3c-0d5f-4b8a-9e21-3c4d5e6f7a8b";

    private readonly SandboxFixture _sandbox;

    public RefusedRequestTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Theory]
    [InlineData("PUT", "qrs/about", "GET")]
    [InlineData("PATCH", "qrs/about", "GET")]
    [InlineData("DELETE", "qrs/about", "GET")]
    [InlineData("POST", "qrs/about/api/description", "GET")]
    [InlineData("DELETE", "qrs/about/api/enums", "GET")]
    [InlineData("PUT", "qrs/about/api/default/app", "GET")]
    [InlineData("PUT", "qrs/app/count", "GET")]
    [InlineData("PATCH", "qrs/app/count", "GET")]
    [InlineData("DELETE", "qrs/app/count", "GET")]
    [InlineData("DELETE", "qrs/app/full", "GET")]
    [InlineData("POST", "qrs/app", "GET")]
    [InlineData("PATCH", "qrs/tag", "GET, POST")]
    [InlineData("PATCH", "qrs/tag/" + SomeId, "GET, PUT, DELETE")]
    [InlineData("PUT", "qrs/appstatus/" + SomeId, "GET")]
    [InlineData("DELETE", "qrs/appstatus/" + SomeId, "GET")]
    [InlineData("PATCH", "qrs/appcontentquota/" + SomeId, "GET, PUT")]
    [InlineData("GET", "qrs/tag/many", "POST")]
    [InlineData("GET", "qrs/tag/table", "POST")]
    [InlineData("GET", "sandbox/faults", "POST")]
    [InlineData("DELETE", "sandbox/requests", "GET, POST")]
    public async Task AMethodAPathDoesNotAnswerIs405WithAllow(string method, string path, string allowed)
    {
        using QrsTestClient client = _sandbox.Client();
        using HttpRequestMessage request = client.Request(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : new JsonObject());

        using HttpResponseMessage response = await client.Http.SendAsync(request);

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal($"Method not allowed: /{path} answers {allowed}, not {method}.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("PUT", "qrs/about/nothing")]
    [InlineData("PATCH", "qrs/app/nothing")]
    [InlineData("GET", "qrs/appstatus/many")]
    public async Task APathThatIsNotThereStays404WhateverTheMethod(string method, string path)
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(404, (await client.SendAsync(new HttpMethod(method), path)).Status);
    }

    [Theory]
    [InlineData("GET", "qrs/tag?privileges=yes", "The query value privileges='yes' is not true or false.")]
    [InlineData("GET", "qrs/tag/full?privileges=", "The query value privileges='' is not true or false.")]
    [InlineData("POST", "qrs/tag/table?skip=-1", "The query value skip='-1' is not a whole number of 0 or more.")]
    [InlineData("POST", "qrs/tag/table?take=ten", "The query value take='ten' is not a whole number of 0 or more.")]
    [InlineData("POST", "qrs/tag/table?take=99999999999", "The query value take='99999999999' is not a whole number of 0 or more.")]
    [InlineData("POST", "qrs/tag/table?sortcolumn=name&orderascending=up", "The query value orderascending='up' is not true or false.")]
    public async Task AQueryValueOfTheWrongKindIs400(string method, string pathAndQuery, string message)
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode? body = method == "POST" ? Table() : null;

        Assert.Equal((400, message), await client.SendAsync(new HttpMethod(method), pathAndQuery, body));
    }

    [Fact]
    public async Task QueryValuesOfTheRightKindAreTaken()
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "qrs/tag?privileges=True")).Status);
        JsonNode page = await client.SendJsonAsync(HttpMethod.Post, "qrs/tag/table?skip=2&take=3&sortcolumn=name&orderascending=false", Table(), 201);
        Assert.Equal(3, page["rows"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("[1]", "Each column of the table definition must be an object, not the number 1.")]
    [InlineData("""[{"name": "name"}]""", "Each column of the table definition needs a text definition, not null.")]
    [InlineData("""[{"definition": ["name"]}]""", "Each column of the table definition needs a text definition, not an array.")]
    [InlineData("""[{"definition": "name", "name": 5}]""", "The name of the column 'name' must be text, not the number 5.")]
    [InlineData("""[{"definition": "tags", "columnType": "List", "list": "name"}]""", "The list of the column 'tags' must be an array, not the text 'name'.")]
    public async Task ATableDefinitionOfTheWrongShapeIs400(string columns, string message)
    {
        using QrsTestClient client = _sandbox.Client();

        Assert.Equal((400, message), await client.SendAsync(HttpMethod.Post, "qrs/tag/table", new JsonObject { ["columns"] = JsonNode.Parse(columns) }));
    }

    [Theory]
    [InlineData("../escape.txt", "it names . or ..")]
    [InlineData("sub/../../escape.txt", "it names . or ..")]
    [InlineData("..\\escape.txt", "it names . or ..")]
    [InlineData("./here.txt", "it names . or ..")]
    [InlineData("/etc/escape.txt", "it starts at a root")]
    [InlineData("\\\\server\\share\\escape.txt", "it starts at a root")]
    [InlineData("C:\\Windows\\escape.txt", "it holds one of < > : \" | ? *")]
    [InlineData("C:escape.txt", "it holds one of < > : \" | ? *")]
    [InlineData("what?.txt", "it holds one of < > : \" | ? *")]
    [InlineData("sub//escape.txt", "it has an empty folder or file name")]
    [InlineData("sub/", "it has an empty folder or file name")]
    [InlineData(" ", "it has an empty folder or file name")]
    [InlineData("", "it is empty")]
    [InlineData("bell\u0007.txt", "it holds control characters")]
    public async Task AnExternalPathThatLeavesTheLibraryOrCannotBeAFileIs400(string externalPath, string why)
    {
        using QrsTestClient client = _sandbox.Client();
        string library = await NewLibrary(client);
        string[] filesBefore = Directory.GetFiles(_sandbox.Server.ContentFolder, "*", SearchOption.AllDirectories);

        var (status, text) = await UploadToLibrary(client, library, externalPath);

        Assert.Equal((400, $"The query value externalpath='{externalPath}' is not a relative path inside the library: {why}."), (status, text));
        Assert.Equal(filesBefore, Directory.GetFiles(_sandbox.Server.ContentFolder, "*", SearchOption.AllDirectories));
        Assert.Empty((await client.GetJsonAsync("qrs/contentlibrary/full?" + QrsTestClient.Filter($"name eq '{library}'")))[0]!["references"]!.AsArray());
    }

    [Theory]
    [InlineData("logo.png", "logo.png")]
    [InlineData("images/2024/logo.png", "images/2024/logo.png")]
    [InlineData("images\\logo.png", "images/logo.png")]
    [InlineData("a..b.png", "a..b.png")]
    public async Task AnExternalPathInsideTheLibraryIsTaken(string externalPath, string logical)
    {
        using QrsTestClient client = _sandbox.Client();
        string library = await NewLibrary(client);

        Assert.Equal((201, $"\"/content/{library}/{logical}\""), await UploadToLibrary(client, library, externalPath));
    }

    [Fact]
    public async Task AnUploadFlagThatIsNotTrueOrFalseIs400()
    {
        using QrsTestClient client = _sandbox.Client();
        string library = await NewLibrary(client);

        Assert.Equal((400, "The query value overwrite='yes' is not true or false."), await UploadToLibrary(client, library, "logo.png&overwrite=yes"));
    }

    private static JsonObject Table() => new()
    {
        ["columns"] = new JsonArray(new JsonObject { ["name"] = "name", ["columnType"] = "Property", ["definition"] = "name" }),
    };

    private static async Task<string> NewLibrary(QrsTestClient client)
    {
        string library = "Paths " + Guid.NewGuid().ToString("N")[..8];
        var whitelist = (await client.GetJsonAsync("qrs/fileextensionwhitelist/full?" + QrsTestClient.Filter("libraryType eq ContentLibrary"))).AsArray().Single()!;
        await client.SendJsonAsync(HttpMethod.Post, "qrs/contentlibrary", new JsonObject { ["name"] = library, ["whiteList"] = new JsonObject { ["id"] = (string)whitelist["id"]! } }, 201);
        return library;
    }

    private static async Task<(int Status, string Text)> UploadToLibrary(QrsTestClient client, string library, string externalPathAndMore)
    {
        string[] parts = externalPathAndMore.Split('&', 2);
        string query = "externalpath=" + Uri.EscapeDataString(parts[0]) + (parts.Length > 1 ? "&" + parts[1] : string.Empty);
        using HttpRequestMessage request = client.Request(HttpMethod.Post, $"qrs/contentlibrary/{Uri.EscapeDataString(library)}/uploadfile?{query}");
        request.Content = new ByteArrayContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
