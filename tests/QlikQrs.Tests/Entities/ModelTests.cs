using System;
using System.Linq;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Entities;

/// <summary>The generated model as a script sees it: which types are entities, their connection, their JSON metadata.</summary>
public sealed class ModelTests : IClassFixture<SandboxSession>
{
    private const string Families = "[QlikQrs.Model.QrsEntityFamily].Assembly.GetType('QlikQrs.Model.QrsEntityFamilies', $true).GetField('All', [System.Reflection.BindingFlags]'Static, NonPublic').GetValue($null)";

    private readonly SandboxSession _sandbox;

    public ModelTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void FamilyTypesAreEntitiesAndValueTypesAreNot()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run($$"""
            $familyTypes = @{}
            foreach ($family in {{Families}}) { $familyTypes[$family.EntityType] = $true; $familyTypes[$family.CondensedType] = $true }
            $familyTypes.Count
            foreach ($type in [QlikQrs.Model.QrsEntity].Assembly.GetExportedTypes()) {
                if (-not $type.IsSubclassOf([QlikQrs.Model.QrsEntity])) { continue }
                $properties = $type.GetProperties().Name
                '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $type.Name, $familyTypes.ContainsKey($type),
                    [QlikQrs.Model.IQrsEntity].IsAssignableFrom($type), [QlikQrs.Model.IQrsNamedEntity].IsAssignableFrom($type),
                    [QlikQrs.Model.IQrsModifiedEntity].IsAssignableFrom($type), ($properties -contains 'Name'), ($properties -contains 'ModifiedDate')
            }
            """).AssertNoErrors();

        var types = result.Output.Skip(1).Select(o => ((string)o.BaseObject).Split('|')).ToDictionary(p => p[0], p => p.Skip(1).Select(bool.Parse).ToArray());
        Assert.True((int)result.Output[0].BaseObject > 100);
        Assert.Equal(result.Output[0].BaseObject, types.Count(t => t.Value[0]));
        foreach (var (name, flags) in types)
        {
            (bool family, bool entity, bool named, bool modified, bool hasName, bool hasModified) = (flags[0], flags[1], flags[2], flags[3], flags[4], flags[5]);
            Assert.True(entity == family, $"{name}: IQrsEntity {entity}, family type {family}");
            Assert.True(named == (family && hasName), $"{name}: IQrsNamedEntity {named}, family type {family}, Name {hasName}");
            Assert.True(modified == (family && hasModified), $"{name}: IQrsModifiedEntity {modified}, family type {family}, ModifiedDate {hasModified}");
        }

        // A custom property value has an id and a modifiedDate, but lives inside an entity, not under a path of its own.
        Assert.Equal(new[] { false, false, false, false, false, true }, types["CustomPropertyValue"]);
        Assert.Equal(new[] { true, true, true, true, true, true }, types["App"]);
        Assert.Equal(new[] { true, true, true, false, true, false }, types["AppCondensed"]);
    }

    [Fact]
    public void AnEntityKnowsItsFamilyFullOrCondensed()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            [QlikQrs.Model.QrsEntityFamily]::Of([QlikQrs.Model.App]::new()).Name
            [QlikQrs.Model.QrsEntityFamily]::Of([QlikQrs.Model.StreamCondensed]::new()).Name
            [QlikQrs.Model.QrsEntityFamily]::Of([QlikQrs.Model.AppObject]::new()).Name
            """).AssertNoErrors();

        Assert.Equal(new object[] { "app", "stream", "app/object" }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void TheConnectionReachesEveryNestedObjectAndStaysOutOfJsonAndViews()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $json = '{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad001","name":"Sales","owner":{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad002","userId":"anna"},"stream":{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad003","name":"Finance"},"tags":[{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad004","name":"A"},{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad005","name":"B"}],"customProperties":[{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad006","value":"x","definition":{"id":"8a1ba5a1-4b36-4c8f-a2a1-1f5a3c1ad007","name":"Region"}}]}'
            $app = [QlikQrs.Model.QrsEntity]::FromJson($json, [QlikQrs.Model.App])
            $connection = (Get-QrsConnection).PSObject.BaseObject
            $null -eq $app.Connection
            # What the client does to every object it reads.
            [void][QlikQrs.Model.QrsEntity].GetMethod('AttachTo', [System.Reflection.BindingFlags]'Instance, NonPublic').Invoke($app, @($connection))
            $nested = @($app, $app.Owner, $app.Stream) + $app.Tags + $app.CustomProperties + @($app.CustomProperties[0].Definition)
            @($nested | Where-Object { $_.Connection -eq $connection }).Count -eq $nested.Count
            $app.ToJson()
            @($app.PSObject.Properties.Name) -contains 'Connection'
            @($app.Stream.PSObject.Properties.Name) -contains 'Connection'
            """).AssertNoErrors();

        Assert.Equal(true, result.Output[0].BaseObject);
        Assert.Equal(true, result.Output[1].BaseObject);
        Assert.DoesNotContain("connection", (string)result.Output[2].BaseObject, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(false, result.Output[3].BaseObject);
        Assert.Equal(false, result.Output[4].BaseObject);
    }

    [Fact]
    public void TheModelsJsonMetadataIsSourceGeneratedWithoutAReflectionFallback()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run($$"""
            $options = [QlikQrs.Model.QrsEntity].Assembly.GetType('QlikQrs.Model.QrsJson', $true).GetField('Options').GetValue($null)
            $options.TypeInfoResolver.GetType().FullName
            $missing = @([QlikQrs.Model.QrsEntity].Assembly.GetExportedTypes() | Where-Object { $_.IsSubclassOf([QlikQrs.Model.QrsEntity]) -and $null -eq $options.TypeInfoResolver.GetTypeInfo($_) })
            $missing.Count
            $lists = foreach ($family in {{Families}}) { $family.EntityType; $family.CondensedType }
            @($lists | Where-Object { $null -eq $options.TypeInfoResolver.GetTypeInfo([System.Collections.Generic.List`1].MakeGenericType($_)) }).Count
            try { [System.Text.Json.JsonSerializer]::Serialize([uri]'https://qlik.example', [uri], $options); 'serialised' } catch { $_.Exception.InnerException.GetType().Name }
            """).AssertNoErrors();

        Assert.Equal("QlikQrs.Model.QrsJsonContext", result.Output[0].BaseObject);
        Assert.Equal(0, result.Output[1].BaseObject);
        Assert.Equal(0, result.Output[2].BaseObject);
        Assert.Equal("NotSupportedException", result.Output[3].BaseObject);
    }
}
