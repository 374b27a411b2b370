using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>The license: read without its secrets, set by a serial and control number or a signed key, and its access types.</summary>
public sealed class LicenseTests : IClassFixture<SandboxFixture>
{
    private const string Serial = "9999000000001234";
    private const string RightControl = "00560";

    private readonly SandboxFixture _sandbox;

    public LicenseTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task TheLicenseIsSetBySerialAndControlNumberOnlyWhenTheyFit()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode license = await client.GetJsonAsync("qrs/license");
        Assert.Equal(Serial, (string?)license["serial"]);
        Assert.Equal(string.Empty, (string?)license["check"]);

        var (wrong, text) = await client.SendAsync(HttpMethod.Put, $"qrs/license/{license["id"]}?control=12345", license.DeepClone());
        Assert.Equal(400, wrong);
        Assert.Contains("control number does not match", text);
        Assert.DoesNotContain("12345", text);

        JsonNode saved = await client.SendJsonAsync(HttpMethod.Put, $"qrs/license/{license["id"]}?control={RightControl}", license.DeepClone(), 200);
        Assert.Equal(string.Empty, (string?)saved["check"]);
        Assert.Equal(409, (await client.SendAsync(HttpMethod.Post, $"qrs/license?control={RightControl}", license.DeepClone())).Status);
    }

    [Fact]
    public async Task ASignedKeyIsTakenAndNeverShownAgain()
    {
        using QrsTestClient client = _sandbox.Client();
        JsonNode license = await client.GetJsonAsync("qrs/license");
        var body = new JsonObject { ["key"] = "eyJhbGciOiJFZERTQSJ9.eyJsaWNlbnNlIjoic2FuZGJveCJ9.c2lnbmF0dXJl", ["modifiedDate"] = license["modifiedDate"]!.DeepClone() };

        JsonNode saved = await client.SendJsonAsync(HttpMethod.Put, $"qrs/license/{license["id"]}", body, 200);

        Assert.Equal(string.Empty, (string?)saved["key"]);
        Assert.Equal(string.Empty, (string?)(await client.GetJsonAsync("qrs/license"))["key"]);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Put, $"qrs/license/{license["id"]}", new JsonObject { ["key"] = "not a key" })).Status);
    }

    [Fact]
    public async Task TheOverviewCountsTheAllocationsSomeOfWhichAreUnusedForMonths()
    {
        using QrsTestClient client = _sandbox.Client();
        var professional = (await client.GetJsonAsync("qrs/license/professionalaccesstype/full")).AsArray();
        var stale = (await client.GetJsonAsync("qrs/license/professionalaccesstype/full?" +
            QrsTestClient.Filter($"lastUsed lt '{DateTime.UtcNow.AddDays(-90):yyyy-MM-ddTHH:mm:ss.fffZ}'"))).AsArray();
        JsonNode overview = await client.GetJsonAsync("qrs/license/accesstypeoverview");

        Assert.Equal(professional.Count, (int)overview["professionalAccess"]!["allocated"]!);
        Assert.Equal(25 - professional.Count, (int)overview["professionalAccess"]!["available"]!);
        Assert.NotEmpty(stale);
        Assert.True(stale.Count < professional.Count);
        Assert.All(professional, a => Assert.NotNull((string?)a!["user"]!["userId"]));
        Assert.NotEmpty((await client.GetJsonAsync("qrs/license/analyzeraccesstype")).AsArray());
        Assert.Equal("AccessTypesInfo", (string?)(await client.GetJsonAsync("qrs/license/accesstypeinfo"))["schemaPath"]);
    }
}
