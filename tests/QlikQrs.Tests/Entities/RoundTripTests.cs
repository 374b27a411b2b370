using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Entities;

public sealed class RoundTripTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public RoundTripTests(SandboxSession sandbox) => _sandbox = sandbox;

    /// <summary>
    /// The default entity of every family, from the sandbox, read into the model and written again, is the same JSON
    /// less its null properties: every value survives, and the model writes no nulls of its own.
    /// </summary>
    [Fact]
    public void EveryFamilysDefaultEntityRoundTripsThroughTheModel()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $families = [QlikQrs.Model.QrsEntityFamily].Assembly.GetType('QlikQrs.Model.QrsEntityFamilies', $true).GetField('All', [System.Reflection.BindingFlags]'Static, NonPublic').GetValue($null)
            foreach ($family in $families) {
                $json = Invoke-QrsRequest "/qrs/about/api/default/$($family.Name)" -Raw
                $family.Name + '|' + $json + '|' + [QlikQrs.Model.QrsEntity]::FromJson($json, $family.EntityType).ToJson()
            }
            """).AssertNoErrors();

        Assert.True(result.Output.Count > 60);
        foreach (string line in result.Output.Select(o => (string)o.BaseObject))
        {
            string[] parts = line.Split('|');
            Assert.True(JsonNode.DeepEquals(WithoutNulls(JsonNode.Parse(parts[1])), JsonNode.Parse(parts[2])), $"{parts[0]} changed on the way through the model:\n{parts[1]}\n{parts[2]}");
        }
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject properties:
                foreach (string name in properties.Where(p => p.Value is null).Select(p => p.Key).ToArray())
                {
                    properties.Remove(name);
                }

                foreach (var (_, value) in properties)
                {
                    WithoutNulls(value);
                }

                break;
            case JsonArray items:
                foreach (JsonNode? item in items)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }

    [Fact]
    public void PropertiesAndEnumValuesTheModelDoesNotKnowSurvive()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $json = '{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad001","name":"Future","description":null,"availabilityStatus":99,"createdDate":"2018-12-17T15:58:21.204Z","futureProperty":{"nested":[1,null]},"futureNull":null}'
            $app = [QlikQrs.Model.QrsEntity]::FromJson($json, [QlikQrs.Model.App])
            "$($app.AvailabilityStatus)"
            "$($app.CreatedDate)"
            $app.ToJson()
            """).AssertNoErrors();

        Assert.Equal("99", result.Output[0].BaseObject);
        Assert.Equal("2018-12-17T15:58:21.204Z", result.Output[1].BaseObject);
        JsonObject written = JsonNode.Parse((string)result.Output[2].BaseObject)!.AsObject();
        Assert.Equal(99, (int)written["availabilityStatus"]!);
        Assert.Equal("2018-12-17T15:58:21.204Z", (string?)written["createdDate"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"nested":[1,null]}"""), written["futureProperty"]));
        // A known property that is null is left out; an unknown one is sent back as it came, null included.
        Assert.False(written.ContainsKey("description"));
        Assert.True(written.ContainsKey("futureNull") && written["futureNull"] is null);
    }
}
