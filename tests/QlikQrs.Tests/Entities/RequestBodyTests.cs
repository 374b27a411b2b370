using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Entities;

/// <summary>Typed entities and QRS dates inside a hashtable or PSCustomObject body go to QRS as QRS's own JSON.</summary>
public sealed class RequestBodyTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public RequestBodyTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void ATypedEntityInAHashtableIsAReferenceQrsUnderstands()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $owner = @(Get-QrsEntity user)[0]
            $created = Invoke-QrsRequest /qrs/stream -Method Post -Body @{ name = 'Owned ' + [guid]::NewGuid(); owner = $owner }
            $created.owner.id -eq $owner.Id.ToString()
            """).AssertNoErrors();

        Assert.Equal(true, result.Single().BaseObject);
    }

    [Fact]
    public void TypedEntitiesAndDatesInAPSCustomObjectSaveAnApp()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $app = @(Get-QrsEntity app -Full)[0]
            $tags = @(Get-QrsEntity tag)[0..1]
            $body = [pscustomobject]@{ id = $app.Id; modifiedDate = $app.ModifiedDate; tags = $tags }
            $null = Invoke-QrsRequest "/qrs/app/$($app.Id)" -Method Put -Body $body
            (@((Get-QrsEntity app -Id $app.Id).Tags.Id) -join ',') -eq (@($tags.Id) -join ',')
            """).AssertNoErrors();

        Assert.Equal(true, result.Single().BaseObject);
    }

    [Fact]
    public void TheBodyHasQrsNamesNoNullsAndUnknownPropertiesKept()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $stream = [QlikQrs.Model.QrsEntity]::FromJson('{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad003","name":"Finance","privileges":null,"futureField":1}', [QlikQrs.Model.StreamCondensed])
            $tag = [QlikQrs.Model.QrsEntity]::FromJson('{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad004","name":"A"}', [QlikQrs.Model.TagCondensed])
            $when = [QlikQrs.Model.QrsDateTime]::new('2018-12-17T15:58:21.204Z')
            $body = @{ stream = $stream; tags = @($tag); publishTime = $when; nested = [pscustomobject]@{ owner = $tag } }
            $toJson = [QlikQrs.Model.QrsEntity].Assembly.GetType('QlikQrs.Http.PowerShellJson', $true).GetMethod('ToJson')
            [System.Text.Encoding]::UTF8.GetString($toJson.Invoke($null, @($body, '-Body')))
            """).AssertNoErrors();

        string text = (string)result.Single().BaseObject;
        Assert.DoesNotContain("null", text);
        JsonNode body = JsonNode.Parse(text)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad003","name":"Finance","futureField":1}"""), body["stream"]), text);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad004","name":"A"}]"""), body["tags"]), text);
        Assert.True(JsonNode.DeepEquals(body["tags"]![0], body["nested"]!["owner"]), text);
        Assert.Equal("2018-12-17T15:58:21.204Z", (string?)body["publishTime"]);
        Assert.Equal(new[] { "nested", "publishTime", "stream", "tags" }, body.AsObject().Select(p => p.Key).Order());
    }
}
