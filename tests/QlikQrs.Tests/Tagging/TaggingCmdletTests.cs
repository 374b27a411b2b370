using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Tagging;

/// <summary>Tags, custom property values and owners on entities of every kind, as an administrator changes them from a prompt.</summary>
public sealed class TaggingCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public TaggingCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    private static string[] Names(object tags) => ((System.Collections.IEnumerable)tags).Cast<object>().Select(t => (string)((dynamic)t).Name).ToArray();

    [Fact]
    public void AddQrsTagTagsAppsStreamsUsersTasksAndGenericEntitiesByTagName()
    {
        using PowerShellSession session = _sandbox.Connected();

        PSObject app = session.Run("Copy-QrsApp 'Sales dashboard 0001' -Name 'Tagged copy' | Add-QrsTag 'Sales-001', 'hr-003' -PassThru").AssertNoErrors().Single();
        PSObject stream = session.Run("New-QrsStream 'Tagged stream' | Add-QrsTag 'Supply-002' -PassThru").AssertNoErrors().Single();
        PSObject user = session.Run("Get-QrsEntity -Type User -Where @{ userId = 'user000002' } | Add-QrsTag 'Marketing-004' -PassThru").AssertNoErrors().Single();
        PSObject task = session.Run("Get-QrsTask 'Reload task 0004' | Add-QrsTag 'Operations-005' -PassThru").AssertNoErrors().Single();

        Assert.Equal(new[] { "HR-003", "Sales-001" }, Names(app.Properties["Tags"].Value).Order());
        Assert.Equal("QlikQrs.Model.Stream", stream.BaseObject.GetType().FullName);
        Assert.Equal(new[] { "Supply-002" }, Names(stream.Properties["Tags"].Value));
        Assert.Equal("QlikQrs.Model.User", user.BaseObject.GetType().FullName);
        Assert.Contains("Marketing-004", Names(user.Properties["Tags"].Value));
        Assert.Contains("Operations-005", Names(task.Properties["Tags"].Value));
        Assert.Equal(new[] { "Tagged copy" }, session.Run("(Get-QrsApp -Tag 'HR-003').Name").Output.Select(o => (string)o.BaseObject).Where(n => n == "Tagged copy"));
    }

    [Fact]
    public async System.Threading.Tasks.Task EntitiesOfTwoSitesInOnePipelineGetEachSiteOwnTag()
    {
        // The tag is looked up once per command and per site: the other site's tag of the same name has another id.
        using var folder = new TempFolder("qlikqrs-othersite-");
        await using QlikQrs.Sandbox.Hosting.SandboxServer other = await QlikQrs.Sandbox.Hosting.SandboxServer.StartAsync(
            new QlikQrs.Sandbox.Hosting.SandboxOptions { CertificatesFolder = System.IO.Path.Combine(folder.Path, "certs") });
        QlikQrs.Sandbox.Store.SandboxSeeder.Seed(other.Store, new QlikQrs.Sandbox.Store.SeedSpec(Users: 3, Apps: 3, Streams: 1, Tags: 5));
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult result = session.Run("""
            $a = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name a -PassThru
            $b = Connect-QrsServer -ComputerName localhost -Port $args[2] -CertificatePath $args[3] -Name b -PassThru
            $apps = @(Get-QrsApp -Connection $a)[0], @(Get-QrsApp -Connection $b)[0]
            $apps | Add-QrsTag 'Sales-001' -PassThru | ForEach-Object { @($_.Tags | Where-Object Name -eq 'Sales-001')[0].Id }
            foreach ($site in $a, $b) { (Get-QrsEntity -Type Tag -Connection $site -Where @{ name = 'Sales-001' }).Id }
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder, other.Port, other.CertificatesFolder).AssertNoErrors();

        Guid[] ids = result.Output.Select(o => (Guid)o.BaseObject).ToArray();
        Assert.Equal(4, ids.Length);
        Assert.NotEqual(ids[2], ids[3]);
        Assert.Equal(ids[2..], ids[..2]);
    }

    [Fact]
    public void AMissingTagIsQrsTagNotFoundUnlessForceCreatesItOnce()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("1..4 | ForEach-Object { Copy-QrsApp 'HR dashboard 0003' -Name \"Force copy $_\" }").AssertNoErrors();
        _sandbox.Server.Requests.Clear();

        PowerShellResult refused = session.Run("Get-QrsApp 'Force copy *' | Add-QrsTag 'Brand new tag'");
        Assert.Equal("QrsTagNotFound", Assert.Single(refused.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Method is "PUT" or "POST");

        session.Run("Get-QrsApp 'Force copy *' | Add-QrsTag 'Brand new tag' -Force -ThrottleLimit 4").AssertNoErrors();

        Assert.Equal(1L, session.Run("Get-QrsEntity -Type Tag -Where @{ name = 'Brand new tag' } -Count").Single().BaseObject);
        Assert.Equal(4, session.Run("Get-QrsApp -Tag 'Brand new tag'").AssertNoErrors().Output.Count);
    }

    [Fact]
    public void RemoveQrsTagTakesTagsOffByPatternAndATypoIsNotFound()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject app = session.Run("Copy-QrsApp 'Sales dashboard 0001' -Name 'Untag me' | Add-QrsTag 'Sales-001', 'Supply-002', 'HR-003' -PassThru").AssertNoErrors().Single();

        PSObject changed = session.Run("$args[0] | Remove-QrsTag 'S*' -PassThru -Confirm:$false", app).AssertNoErrors().Single();
        PowerShellResult typo = session.Run("$args[0] | Remove-QrsTag 'HR-03' -Confirm:$false", app);

        Assert.Equal(new[] { "HR-003" }, Names(changed.Properties["Tags"].Value));
        Assert.Equal("QrsTagNotFound", Assert.Single(typo.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(1L, session.Run("Get-QrsEntity -Type Tag -Where @{ name = 'Sales-001' } -Count").Single().BaseObject);
    }

    [Fact]
    public void SetQrsCustomPropertyReplacesAppendsAndRemovesValuesAndKeepsEverythingElse()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject app = session.Run("""
            $app = Copy-QrsApp 'Sales dashboard 0001' -Name 'Valued copy' | Add-QrsTag 'Sales-001' -PassThru
            Set-QrsApp $app -Description 'Kept as it is'
            $app
            """).AssertNoErrors().Single();

        string Values(PSObject entity, string name) => string.Join(",", ((System.Collections.IEnumerable)entity.Properties["CustomProperties"].Value).Cast<dynamic>()
            .Where(v => (string)v.Definition.Name == name).Select(v => (string)v.Value).Order());

        PSObject replaced = session.Run("$args[0] | Set-QrsCustomProperty Department finance, Sales -PassThru", app).AssertNoErrors().Single();
        PSObject appended = session.Run("$args[0] | Set-QrsCustomProperty Department HR -Append -PassThru", app).AssertNoErrors().Single();
        PSObject critical = session.Run("$args[0] | Set-QrsCustomProperty Criticality High -PassThru", app).AssertNoErrors().Single();
        PSObject again = session.Run("$args[0] | Set-QrsCustomProperty Department Supply -PassThru", app).AssertNoErrors().Single();
        PSObject removed = session.Run("$args[0] | Set-QrsCustomProperty Department -Remove -PassThru", app).AssertNoErrors().Single();

        Assert.Equal("Finance,Sales", Values(replaced, "Department"));
        Assert.Equal("Finance,HR,Sales", Values(appended, "Department"));
        Assert.Equal("Finance,HR,Sales", Values(critical, "Department"));
        Assert.Equal("High", Values(critical, "Criticality"));
        Assert.Equal("Supply", Values(again, "Department"));
        Assert.Equal("High", Values(again, "Criticality"));
        Assert.Equal(string.Empty, Values(removed, "Department"));
        Assert.Equal("High", Values(removed, "Criticality"));
        Assert.Equal("Kept as it is", removed.Properties["Description"].Value);
        Assert.Equal(new[] { "Sales-001" }, Names(removed.Properties["Tags"].Value));
    }

    [Fact]
    public void AValueOutsideTheChoicesAndADefinitionForAnotherKindAreRefusedNamingWhatIsAllowed()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        PowerShellResult notAChoice = session.Run("Get-QrsApp 'Sales dashboard 0001' | Set-QrsCustomProperty Criticality Urgent");
        PowerShellResult wrongKind = session.Run("Get-QrsStream 'Finance' | Set-QrsCustomProperty Criticality High");

        ErrorRecord choice = Assert.Single(notAChoice.Errors);
        Assert.Equal("QrsCustomPropertyValueNotAllowed", choice.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("'Low', 'Medium', 'High'", choice.ErrorDetails.Message);
        ErrorRecord kind = Assert.Single(wrongKind.Errors);
        Assert.Equal("QrsCustomPropertyNotApplicable", kind.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("it applies to App", kind.ErrorDetails.Message);
        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Method == "PUT");
    }

    [Fact]
    public void DefinitionsAreCreatedGivenChoicesFoundByKindAndRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();

        PSObject created = session.Run("New-QrsCustomPropertyDefinition 'Cost centre' -ObjectType app, STREAM -ChoiceValue 'CC-100'").AssertNoErrors().Single();
        PowerShellResult duplicate = session.Run("New-QrsCustomPropertyDefinition 'cost centre' -ObjectType App");
        PSObject grown = session.Run("Set-QrsCustomPropertyDefinition 'Cost centre' -AddChoice 'CC-200', 'CC-100' -PassThru").AssertNoErrors().Single();
        string[] forUsers = session.Run("Get-QrsCustomPropertyDefinition -ObjectType user").AssertNoErrors().Output.Select(d => (string)d.Properties["Name"].Value).ToArray();
        PowerShellResult unknownKind = session.Run("New-QrsCustomPropertyDefinition 'Odd' -ObjectType Tag");
        session.Run("Remove-QrsCustomPropertyDefinition 'Cost centre' -Confirm:$false").AssertNoErrors();

        Assert.Equal(new[] { "App", "Stream" }, ((System.Collections.IEnumerable)created.Properties["ObjectTypes"].Value).Cast<string>());
        Assert.Equal("QrsConflict", Assert.Single(duplicate.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(new[] { "CC-100", "CC-200" }, ((System.Collections.IEnumerable)grown.Properties["ChoiceValues"].Value).Cast<string>());
        Assert.Equal(new[] { "Department", "Region" }, forUsers);
        Assert.Equal("QrsUnknownObjectType", Assert.Single(unknownKind.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("QrsCustomPropertyDefinitionNotFound", Assert.Single(session.Run("Get-QrsCustomPropertyDefinition 'Cost centre'").Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void SetQrsOwnerTakesDirUserAndRefusesKindsWithoutAnOwner()
    {
        using PowerShellSession session = _sandbox.Connected();

        PSObject stream = session.Run(@"New-QrsStream 'Owned stream' | Set-QrsOwner 'CORP\user000003' -PassThru").AssertNoErrors().Single();
        PowerShellResult tag = session.Run(@"Get-QrsEntity -Type Tag -Where @{ name = 'HR-003' } | Set-QrsOwner 'CORP\user000003'");
        PowerShellResult nobody = session.Run(@"New-QrsStream 'Unowned stream' | Set-QrsOwner 'CORP\nobody'");

        dynamic owner = stream.Properties["Owner"].Value;
        Assert.Equal(("CORP", "user000003"), ((string)owner.UserDirectory, (string)owner.UserId));
        Assert.Equal("QrsOwnerNotSupported", Assert.Single(tag.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("QrsUserNotFound", Assert.Single(nobody.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void AStaleObjectIsReadAgainAndASaveRefusedAsAConflictIsMadeAgainOnTheNewerEntity()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject stale = session.Run("Copy-QrsApp 'Sales dashboard 0001' -Name 'Raced copy'").AssertNoErrors().Single();
        session.Run("Set-QrsApp $args[0] -Description 'Changed meanwhile'", stale).AssertNoErrors();
        _sandbox.Server.Requests.Clear();
        _sandbox.Server.Faults.FailNext(1, 409, "/qrs/app/" + stale.Properties["Id"].Value, method: "PUT", body: "The App was modified after the version sent was read.");

        PSObject saved = session.Run("$args[0] | Add-QrsTag 'Sales-001' -PassThru", stale).AssertNoErrors().Single();

        Assert.Equal("Changed meanwhile", saved.Properties["Description"].Value);
        Assert.Equal(new[] { "Sales-001" }, Names(saved.Properties["Tags"].Value));
        Assert.Equal(2, _sandbox.Server.Requests.Snapshot().Count(r => r.Method == "PUT" && r.Path.EndsWith(stale.Properties["Id"].Value.ToString()!, StringComparison.Ordinal)));
    }
}
