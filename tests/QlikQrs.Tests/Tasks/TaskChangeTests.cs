using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Tasks;

/// <summary>Creating, changing and removing tasks and their triggers, and the chains they make, against the sandbox.</summary>
public sealed class TaskChangeTests : IClassFixture<SandboxSession>
{
    // Waits in the hosted runspace, which has no Start-Sleep, until a task has a run of its own.
    private const string WaitForFirstRun = """
        param($name)
        for ($i = 0; $i -lt 200 -and -not (Get-QrsTaskExecution $name); $i++) { [System.Threading.Thread]::Sleep(100) }
        Wait-QrsTask $name
        """;

    private readonly SandboxSession _sandbox;

    public TaskChangeTests(SandboxSession sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Server.Tasks.Duration = TimeSpan.FromMilliseconds(400);
    }

    [Fact]
    public void NewReloadTaskCreatesTheTaskItsScheduleAndItsTaskEventInOneCall()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        PSObject task = session.Run("""
            $schedule = New-QrsTaskSchedule -Frequency Daily -At '02:30' -TimeZone 'Europe/Paris'
            New-QrsReloadTask -App 'Sales dashboard 0001' -Name 'Nightly sales' -Schedule $schedule -OnSuccessOf 'Reload task 0001' -TimeoutMinutes 90 -MaxRetries 2
            """).AssertNoErrors().Single();

        Assert.Equal("QlikQrs.Model.ReloadTask", task.BaseObject.GetType().FullName);
        Assert.Equal(90, task.Properties["TaskSessionTimeout"].Value);
        Assert.Equal(2, task.Properties["MaxRetries"].Value);
        var posts = _sandbox.Server.Requests.Snapshot().Where(r => r.Method == "POST").Select(r => r.Path).ToArray();
        Assert.Equal(new[] { "/qrs/reloadtask/create" }, posts);

        PowerShellResult triggers = session.Run("Get-QrsTaskTrigger 'Nightly sales'").AssertNoErrors();
        PSObject schedule = Assert.Single(triggers.Output, t => (string)t.Properties["Kind"].Value == "Schedule");
        Assert.Equal("Daily at 02:30 (Europe/Paris)", schedule.Properties["Description"].Value);
        var next = (DateTime)schedule.Properties["NextExecution"].Value;
        Assert.Equal(new TimeSpan(2, 30, 0), TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).TimeOfDay);
        PSObject taskEvent = Assert.Single(triggers.Output, t => (string)t.Properties["Kind"].Value == "TaskEvent");
        Assert.StartsWith("On success of 'Reload task 0001'", (string)taskEvent.Properties["Description"].Value);
    }

    [Fact]
    public void AChainAToBRunsEndToEnd()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Chain B' -OnSuccessOf 'Reload task 0002'").AssertNoErrors();

        Assert.Equal("FinishedSuccess", session.Run("Start-QrsTask 'Reload task 0002' -Wait").AssertNoErrors().Single().Properties["Status"].Value.ToString());
        PSObject second = session.Run(WaitForFirstRun, "Chain B").AssertNoErrors().Single();

        Assert.Equal("FinishedSuccess", second.Properties["Status"].Value.ToString());
    }

    [Fact]
    public void AFailureStartsTheTaskTriggeredOnFailureWithinTheTimeConstraint()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Alert on failure'").AssertNoErrors();
        PSObject trigger = session.Run("New-QrsTaskTrigger 'Alert on failure' -OnFailureOf 'Reload task 0003' -Within '01:00:00'").AssertNoErrors().Single();
        Assert.Equal("On failure of 'Reload task 0003', within 60 minutes", trigger.Properties["Description"].Value);
        var constraint = ((dynamic)trigger.Properties["Trigger"].Value).TimeConstraint;
        Assert.Equal(1, (int)constraint.Hours);

        _sandbox.Server.Tasks.SetOutcome((Guid)session.Run("(Get-QrsTask 'Reload task 0003').Id").Single().BaseObject, succeed: false);
        session.Run("Start-QrsTask 'Reload task 0003' -Wait -ErrorAction SilentlyContinue");

        Assert.Equal("FinishedSuccess", session.Run(WaitForFirstRun, "Alert on failure").AssertNoErrors().Single().Properties["Status"].Value.ToString());
    }

    [Fact]
    public void SetReloadTaskChangesWhatItIsGivenAndSaysWhenGivenNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'To change'").AssertNoErrors();

        PSObject changed = session.Run("Set-QrsReloadTask 'To change' -Name 'Changed' -Enabled:$false -TimeoutMinutes 30 -MaxRetries 1 -PassThru").AssertNoErrors().Single();

        Assert.Equal("Changed", changed.Properties["Name"].Value);
        Assert.Equal(false, changed.Properties["Enabled"].Value);
        Assert.Equal(30, changed.Properties["TaskSessionTimeout"].Value);
        Assert.Equal(1, changed.Properties["MaxRetries"].Value);
        Assert.StartsWith("QrsNothingToChange,", Assert.Single(session.Run("Set-QrsReloadTask 'Changed'").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void RemoveTaskTakesItsTriggersWithItAndWhatIfRemovesNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("""
            $schedule = New-QrsTaskSchedule -Frequency Hourly -Interval 2
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'To remove' -Schedule $schedule -OnFailureOf 'Reload task 0005'
            """).AssertNoErrors();
        Guid id = (Guid)session.Run("(Get-QrsTask 'To remove').Id").Single().BaseObject;
        string triggers = $"reloadTask.id eq {id}";

        session.Run("Remove-QrsTask 'To remove' -WhatIf").AssertNoErrors();
        Assert.Equal(2, session.Run("Get-QrsTaskTrigger 'To remove'").AssertNoErrors().Output.Count);

        session.Run("Remove-QrsTask 'To remove' -Confirm:$false").AssertNoErrors();
        Assert.StartsWith("QrsTaskNotFound,", Assert.Single(session.Run("Get-QrsTask 'To remove'").Errors).FullyQualifiedErrorId);
        Assert.Equal(0L, session.Run("Get-QrsEntity schemaevent -Filter $args[0] -Count", triggers).Single().BaseObject);
        Assert.Equal(0L, session.Run("Get-QrsEntity compositeevent -Filter $args[0] -Count", triggers).Single().BaseObject);
    }

    [Fact]
    public void SchedulesOfEveryFrequencyAreDescribedAndFireWhenTheySay()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Scheduled'").AssertNoErrors();

        PSObject weekly = session.Run("New-QrsTaskSchedule 'Scheduled' Weekly -DaysOfWeek Monday, Thursday -At '06:30' -TimeZone UTC -Name Weekly").AssertNoErrors().Single();
        Assert.Equal("Weekly on Monday, Thursday at 06:30 (UTC)", weekly.Properties["Description"].Value);
        DateTime next = ((DateTime)weekly.Properties["NextExecution"].Value).ToUniversalTime();
        Assert.Contains(next.DayOfWeek, new[] { DayOfWeek.Monday, DayOfWeek.Thursday });
        Assert.Equal(new TimeSpan(6, 30, 0), next.TimeOfDay);

        PSObject monthly = session.Run("New-QrsTaskSchedule 'Scheduled' Monthly -DaysOfMonth 1, 15 -At '04:00' -TimeZone UTC -Name Monthly").AssertNoErrors().Single();
        Assert.Equal("Monthly on day 1, 15 at 04:00 (UTC)", monthly.Properties["Description"].Value);
        Assert.Contains(((DateTime)monthly.Properties["NextExecution"].Value).ToUniversalTime().Day, new[] { 1, 15 });

        PSObject minutes = session.Run("New-QrsTaskSchedule 'Scheduled' Minute -Interval 30 -TimeZone UTC -Name Half-hourly").AssertNoErrors().Single();
        Assert.StartsWith("Every 30 minutes from 00:00", (string)minutes.Properties["Description"].Value);

        PSObject once = session.Run("New-QrsTaskSchedule 'Scheduled' Once -Start '2031-05-04' -At '13:15' -TimeZone UTC -Name Once").AssertNoErrors().Single();
        Assert.Equal("Once on 2031-05-04 13:15 (UTC)", once.Properties["Description"].Value);
        Assert.Equal(new DateTime(2031, 5, 4, 13, 15, 0, DateTimeKind.Utc), ((DateTime)once.Properties["NextExecution"].Value).ToUniversalTime());

        PSObject fixedOffset = session.Run("New-QrsTaskSchedule 'Scheduled' Daily -TimeZone 'Europe/Paris' -DaylightSaving PermanentStandardTime -Name Winter").AssertNoErrors().Single();
        Assert.Equal("PermanentStandardTime", ((dynamic)fixedOffset.Properties["Trigger"].Value).DaylightSavingTime.ToString());

        Assert.StartsWith("QrsTimeZoneNotFound,", Assert.Single(session.Run("New-QrsTaskSchedule 'Scheduled' Daily -TimeZone 'Nowhere/Else'").Errors).FullyQualifiedErrorId);
        Assert.Equal(5, session.Run("Get-QrsTaskTrigger 'Scheduled'").AssertNoErrors().Output.Count);
    }

    [Fact]
    public void TriggersAreDisabledEnabledAndRemovedFromThePipelineOrByName()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("""
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Toggled' -Schedule (New-QrsTaskSchedule -Frequency Daily -Name Nightly) -OnSuccessOf 'Reload task 0001'
            """).AssertNoErrors();

        session.Run("Get-QrsTaskTrigger 'Toggled' | Disable-QrsTaskTrigger").AssertNoErrors();
        Assert.All(session.Run("Get-QrsTaskTrigger 'Toggled'").AssertNoErrors().Output, t => Assert.False((bool)t.Properties["Enabled"].Value));

        PSObject enabled = session.Run("Enable-QrsTaskTrigger 'Toggled' Nightly -PassThru").AssertNoErrors().Single();
        Assert.True((bool)enabled.Properties["Enabled"].Value);
        Assert.Equal("Nightly", enabled.Properties["Name"].Value);

        session.Run("Remove-QrsTaskTrigger 'Toggled' -WhatIf").AssertNoErrors();
        Assert.Equal(2, session.Run("Get-QrsTaskTrigger 'Toggled'").Output.Count);
        session.Run("Get-QrsTaskTrigger 'Toggled' Nightly | Remove-QrsTaskTrigger -Confirm:$false").AssertNoErrors();
        Assert.Equal("TaskEvent", session.Run("Get-QrsTaskTrigger 'Toggled'").AssertNoErrors().Single().Properties["Kind"].Value);
    }

    [Fact]
    public void TheChainIsATreeAndACycleIsFoundAndNamed()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("""
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Cycle one'
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Cycle two' -OnSuccessOf 'Cycle one'
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Cycle three' -OnSuccessOf 'Cycle two'
            $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Cycle alarm' -OnFailureOf 'Cycle two'
            $null = New-QrsTaskTrigger 'Cycle one' -OnSuccessOf 'Cycle three'
            """).AssertNoErrors();

        PowerShellResult result = session.Run("Get-QrsTaskChain 'Cycle two'");

        Assert.Empty(result.Errors);
        string[] lines = result.Output.Select(o => (string)o.Properties["Line"].Value).ToArray();
        Assert.Equal(new[]
        {
            "Cycle one",
            "└─ on success → Cycle two",
            "   ├─ on failure → Cycle alarm",
            "   └─ on success → Cycle three",
            "      └─ on success → Cycle one  (cycle: Cycle one -> Cycle two -> Cycle three -> Cycle one)",
        }, lines);
        WarningRecord warning = Assert.Single(result.Warnings);
        Assert.Contains("Cycle one -> Cycle two -> Cycle three -> Cycle one", warning.Message);
        Assert.DoesNotContain(session.Run("Get-QrsTaskChain 'Reload task 0004'").Output, o => ((string)o.Properties["TaskName"].Value).StartsWith("Cycle", StringComparison.Ordinal));
    }
}
