using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Tasks;

/// <summary>Finding tasks by what an administrator knows of them.</summary>
public sealed class TaskListTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public TaskListTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void GetQrsTaskListsTasksOfEveryKindByNamePattern()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("""
            $null = New-QrsEntity externalprogramtask @{ name = 'Reload task export script'; path = 'C:\scripts\export.cmd'; taskType = 1 }
            """).AssertNoErrors();

        PowerShellResult result = session.Run("Get-QrsTask -Name 'reload task*'").AssertNoErrors();

        Assert.Contains(result.Output, o => o.BaseObject.GetType().Name == "ReloadTask");
        Assert.Contains(result.Output, o => o.BaseObject.GetType().Name == "ExternalProgramTask");
        Assert.DoesNotContain(session.Run("Get-QrsReloadTask -Name 'reload task*'").AssertNoErrors().Output, o => o.BaseObject.GetType().Name != "ReloadTask");
    }

    [Fact]
    public void ALiteralNameThatMatchesNoTaskIsQrsTaskNotFound()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Get-QrsTask -Name 'No such task'; Start-QrsTask 'No such task' -Confirm:$false");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("QrsTaskNotFound,", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void TasksOfAnAppAndByLastStatus()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject task = session.Run("Get-QrsReloadTask 'Reload task 0001'").AssertNoErrors().Single();
        string app = (string)((dynamic)task.Properties["App"].Value).Name;

        PowerShellResult ofApp = session.Run("Get-QrsTask -App $args[0]", app).AssertNoErrors();
        Assert.Contains(ofApp.Output, o => (string)o.Properties["Name"].Value == "Reload task 0001");

        string name = "Status test " + Guid.NewGuid().ToString("N");
        PSObject created = session.Run("New-QrsReloadTask -App $args[0] -Name $args[1]", app, name).AssertNoErrors().Single();
        string[] Named(string status) => session.Run("(Get-QrsTask -Status $args[0]).Name", status).AssertNoErrors().Output.Where(o => o is not null).Select(o => (string)o.BaseObject).ToArray();
        Assert.Contains(name, Named("NeverStarted"));
        Assert.DoesNotContain(name, Named("FinishedFail"));

        _sandbox.Server.Tasks.SetOutcome((Guid)created.Properties["Id"].Value, succeed: false);
        session.Run("Start-QrsTask $args[0] -Wait -ErrorAction SilentlyContinue", name);
        Assert.Contains(name, Named("FinishedFail"));
        Assert.DoesNotContain(name, Named("NeverStarted"));
        session.Run("Remove-QrsTask $args[0] -Confirm:$false", name).AssertNoErrors();
    }

    [Fact]
    public void AnAppWhereATaskIsExpectedIsRefused()
    {
        using PowerShellSession session = _sandbox.Connected();
        ErrorRecord error = Assert.Single(session.Run("@(Get-QrsApp)[0] | Start-QrsTask -Confirm:$false").Errors);

        Assert.StartsWith("QrsWrongEntityType,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void TaskNamesCompleteFromEveryKind()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            (TabExpansion2 -inputScript "Start-QrsTask Reload" -cursorColumn 'Start-QrsTask Reload'.Length).CompletionMatches | ForEach-Object CompletionText
            """).AssertNoErrors();

        Assert.Contains("'Reload task 0001'", result.Output.Select(o => (string)o.BaseObject));
    }
}
