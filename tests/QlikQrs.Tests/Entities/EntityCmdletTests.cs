using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Entities;

public sealed class EntityCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public EntityCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Theory]
    [InlineData("app", "QlikQrs.Model.App")]
    [InlineData("stream", "QlikQrs.Model.Stream")]
    [InlineData("user", "QlikQrs.Model.User")]
    [InlineData("reloadtask", "QlikQrs.Model.ReloadTask")]
    public void FullEntitiesAreTyped(string family, string typeName)
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Get-QrsEntity $args[0] -Full", family).AssertNoErrors();

        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, o => Assert.Equal(typeName, o.BaseObject.GetType().FullName));
    }

    [Fact]
    public void EnumsPrintByNameAndDatesKeepQrsText()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $app = @(Get-QrsEntity app -Full)[0]
            "$($app.AvailabilityStatus)"
            "$($app.CreatedDate)"
            $app.CreatedDate.Value.Kind
            """).AssertNoErrors();

        Assert.Equal("NotApplicable", result.Output[0].BaseObject);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)result.Output[1].BaseObject);
        Assert.Equal("Utc", result.Output[2].ToString());
    }

    [Fact]
    public void ListsAreCondensedUnlessFull()
    {
        using PowerShellSession session = _sandbox.Connected();

        Assert.All(session.Run("Get-QrsEntity stream").AssertNoErrors().Output, o => Assert.Equal("StreamCondensed", o.BaseObject.GetType().Name));
    }

    [Fact]
    public void EveryFamilyCounts()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult families = session.Run("[QlikQrs.Model.QrsEntityFamily].Assembly.GetType('QlikQrs.Model.QrsEntityFamilies', $true).GetField('All', [System.Reflection.BindingFlags]'Static, NonPublic').GetValue($null) | Where-Object { $_.Supports('Count') } | ForEach-Object Name").AssertNoErrors();
        Assert.True(families.Output.Count > 60);

        foreach (string family in families.Output.Select(o => (string)o.BaseObject))
        {
            PowerShellResult count = session.Run("Get-QrsEntity $args[0] -Count", family).AssertNoErrors();
            Assert.IsType<long>(count.Single().BaseObject);
        }
    }

    [Fact]
    public void FiltersFromValuesAreQuotedAndEscaped()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = $"O'Brien \\ é {Guid.NewGuid():N}";
        PowerShellResult result = session.Run("""
            $null = New-QrsEntity tag @{ name = $args[0] }
            (Get-QrsEntity tag -Where @{ name = $args[0] }).Name
            (Get-QrsEntity tag -Name $args[0]).Name
            Get-QrsEntity tag -Count -Filter (New-QrsFilter @{ name = $args[0] })
            New-QrsFilter @{ 'stream.name' = "O'Brien"; published = $true; createdDate = [datetime]'2024-01-02T03:04:05Z' }
            """, name).AssertNoErrors();

        Assert.Equal(name, result.Output[0].BaseObject);
        Assert.Equal(name, result.Output[1].BaseObject);
        Assert.Equal(1L, result.Output[2].BaseObject);
        string filter = (string)result.Output[3].BaseObject;
        Assert.Contains(@"stream.name eq 'O\'Brien'", filter);
        Assert.Contains("published eq true", filter);
        Assert.Contains("createdDate eq '2024-01-02T03:04:05.000Z'", filter);
    }

    [Fact]
    public void FiltersOnEnumsNestedPathsAndDates()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            Get-QrsEntity app -Count -Where @{ availabilityStatus = [QlikQrs.Model.AppAvailabilityStatus]::NotApplicable }
            Get-QrsEntity app -Count
            $app = @(Get-QrsEntity app -Full -Filter 'stream ne null')[0]
            @(Get-QrsEntity app -Where @{ 'stream.name' = $app.Stream.Name }).Count -ge 1
            Get-QrsEntity app -Count -Filter "createdDate le '$($app.CreatedDate)'" -Where @{ published = $true }
            """).AssertNoErrors();

        Assert.Equal(result.Output[1].BaseObject, result.Output[0].BaseObject);
        Assert.Equal(true, result.Output[2].BaseObject);
        Assert.True((long)result.Output[3].BaseObject >= 1);
    }

    [Fact]
    public void NewSetAndRemoveThroughThePipeline()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "entity-" + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $tag = New-QrsEntity tag @{ name = $args[0] }
            $tag.Name = $args[0] + ' renamed'
            (Set-QrsEntity $tag -PassThru).Name
            (Get-QrsEntity tag -Id $tag.Id | Set-QrsEntity -Property @{ name = $args[0] + ' merged' } -PassThru).Name
            Get-QrsEntity tag -Name ($args[0] + ' merged') | Remove-QrsEntity -Confirm:$false
            Get-QrsEntity tag -Count -Filter "id eq $($tag.Id)"
            """, name).AssertNoErrors();

        Assert.Equal(new object[] { name + " renamed", name + " merged", 0L }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void PipedIdsAreRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();
        string prefix = "ids-" + Guid.NewGuid().ToString("N");
        PowerShellResult result = session.Run("""
            $prefix = $args[0]
            $ids = 1..2 | ForEach-Object { (New-QrsEntity tag @{ name = "$prefix-$_" }).Id }
            $ids | Remove-QrsEntity tag -Confirm:$false
            Get-QrsEntity tag -Count -Filter "name sw '$prefix'"
            """, prefix).AssertNoErrors();

        Assert.Equal(0L, result.Single().BaseObject);
    }

    [Fact]
    public void NewManySendsOneCall()
    {
        using PowerShellSession session = _sandbox.Connected();
        string prefix = "many-" + Guid.NewGuid().ToString("N");
        _sandbox.Server.Requests.Clear();
        PowerShellResult result = session.Run("$prefix = $args[0]; 1..3 | ForEach-Object { @{ name = $prefix + $_ } } | New-QrsEntity tag -Many", prefix).AssertNoErrors();

        Assert.Equal(3, result.Output.Count);
        Assert.Single(_sandbox.Server.Requests.Snapshot(), r => r.Path == "/qrs/tag/many");
    }

    [Fact]
    public void RemoveWithWhatIfChangesNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        long before = (long)session.Run("Get-QrsEntity app -Count").AssertNoErrors().Single().BaseObject;
        session.Run("Get-QrsEntity app | Remove-QrsEntity -WhatIf").AssertNoErrors();

        Assert.Equal(before, (long)session.Run("Get-QrsEntity app -Count").AssertNoErrors().Single().BaseObject);
    }

    [Fact]
    public void AConflictingSetIsQrsConflict()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $tag = New-QrsEntity tag @{ name = 'conflict-' + [guid]::NewGuid() }
            $stale = Get-QrsEntity tag -Id $tag.Id
            Set-QrsEntity $tag
            Set-QrsEntity $stale
            """);

        Assert.Equal("QrsConflict,QlikQrs.Commands.SetQrsEntityCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void AnUnknownTypeSuggestsNames()
    {
        using PowerShellSession session = _sandbox.Connected();
        ErrorRecord error = Assert.Single(session.Run("Get-QrsEntity reload").Errors);

        Assert.Equal("QrsUnknownEntityType,QlikQrs.Commands.GetQrsEntityCommand", error.FullyQualifiedErrorId);
        Assert.Contains("reloadtask", error.Exception.Message);
    }

    [Fact]
    public void TypeCompletesTheFamilies()
    {
        using var session = new PowerShellSession();
        string input = "Get-QrsEntity -Type relo";
        using PowerShell shell = PowerShell.Create(session.Runspace);
        CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Contains("reloadtask", completion.CompletionMatches.Select(m => m.CompletionText));
        Assert.Contains("reloadtaskoperational", completion.CompletionMatches.Select(m => m.CompletionText));
    }

    [Fact]
    public void NameCompletesFromTheServer()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("$null = New-QrsEntity tag @{ name = \"Complete O'Me\" }").AssertNoErrors();
        string input = "Get-QrsEntity -Type tag -Name Complete";
        using PowerShell shell = PowerShell.Create(session.Runspace);
        CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Contains("'Complete O''Me'", completion.CompletionMatches.Select(m => m.CompletionText));
    }
}
