using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Tasks;

/// <summary>Starting tasks and waiting for them as a scheduled script does, against the sandbox's task runner.</summary>
public sealed class TaskRunTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public TaskRunTests(SandboxSession sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Server.Tasks.Duration = Short;
    }

    private static TimeSpan Short => TimeSpan.FromMilliseconds(600);

    [Fact]
    public void StartWaitOutputsTheFinishedRunWithItsStatusByNameAndItsTimesInLocalTime()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject run = session.Run("Start-QrsTask 'Reload task 0001' -Wait").AssertNoErrors().Single();

        Assert.Equal("QlikQrs.Tasks.QrsTaskExecution", run.BaseObject.GetType().FullName);
        Assert.Equal("FinishedSuccess", run.Properties["Status"].Value.ToString());
        Assert.Equal("Reload task 0001", run.Properties["TaskName"].Value);
        var start = (DateTime)run.Properties["StartTime"].Value;
        var stop = (DateTime)run.Properties["StopTime"].Value;
        Assert.Equal(DateTimeKind.Local, start.Kind);
        Assert.True(stop > start);
        Assert.True((TimeSpan)run.Properties["Duration"].Value > TimeSpan.Zero);
        Assert.False(string.IsNullOrEmpty((string)run.Properties["ExecutingNode"].Value));
        Assert.True((bool)run.Properties["IsFinished"].Value);
    }

    [Fact]
    public void AFailedRunIsOutputAndThenAQrsTaskFailedErrorCarryingTheScriptLogsLastLines()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Tasks.SetOutcome(TaskId(session, "Reload task 0002"), succeed: false);

        PowerShellResult result = session.Run("Start-QrsTask 'Reload task 0002' -Wait");

        Assert.Equal("FinishedFail", result.Single().Properties["Status"].Value.ToString());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsTaskFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("ended FinishedFail", error.Exception.Message);
        string log = (string)session.Run("Get-QrsTaskExecution 'Reload task 0002' -Last 1 -ScriptLog").AssertNoErrors().Single().BaseObject;
        Assert.Contains("Field 'Amount' not found", log);
        string[] lines = log.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.TakeLast(3), line => Assert.Contains(line.Trim(), error.Exception.Message));
        Assert.Equal("FinishedFail", ((dynamic)error.TargetObject).Status.ToString());
    }

    [Fact]
    public void WithErrorActionStopAFailedRunEndsTheScriptWithTheReason()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Tasks.SetOutcome(TaskId(session, "Reload task 0003"), succeed: false);

        PowerShellResult result = session.Run("""
            try { Start-QrsTask 'Reload task 0003' -Wait -ErrorAction Stop; 'went on' }
            catch { "stopped: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
            """);

        string said = (string)result.Output.Last().BaseObject;
        Assert.StartsWith("stopped: QrsTaskFailed", said);
        Assert.Contains("Field 'Amount' not found", said);
        Assert.DoesNotContain(result.Output, o => "went on".Equals(o.BaseObject));
    }

    [Fact]
    public void ATimeoutEndsTheWaitWithQrsTaskWaitTimeoutAndTheTaskGoesOn()
    {
        using PowerShellSession session = _sandbox.Connected();
        using IDisposable longer = RunsLasting(TimeSpan.FromSeconds(6));
        PowerShellResult result = session.Run("Start-QrsTask 'Reload task 0004' -Wait -Timeout 1");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsTaskWaitTimeout,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("still running", error.Exception.Message);

        PSObject running = session.Run("Get-QrsTaskExecution 'Reload task 0004' -Last 1").AssertNoErrors().Single();
        Assert.False((bool)running.Properties["IsFinished"].Value);

        PSObject waited = session.Run("Wait-QrsTask -ExecutionId $args[0]", running.Properties["ExecutionId"].Value).AssertNoErrors().Single();
        Assert.Equal("FinishedSuccess", waited.Properties["Status"].Value.ToString());
    }

    [Theory]
    [InlineData("6f1c2a4e-93b7-4d55-a1f0-2b9e8c7d6a51", "There is no run with the execution id 6f1c2a4e-93b7-4d55-a1f0-2b9e8c7d6a51")]
    [InlineData("00000000-0000-0000-0000-000000000000", "answers it when the task it was asked to start is already running")]
    public void AnExecutionIdOfNoRunIsQrsTaskExecutionNotFound(string executionId, string explained)
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Wait-QrsTask -ExecutionId $args[0]", Guid.Parse(executionId));

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsTaskExecutionNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains(explained, error.Exception.Message);
        Assert.Contains("Get-QrsTaskExecution", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void CtrlCStopsTheWaitNotTheTask()
    {
        using PowerShellSession session = _sandbox.Connected();
        using IDisposable longer = RunsLasting(TimeSpan.FromSeconds(6));
        ProgressRecord first = PressCtrlCWhileWaiting(session, "Start-QrsTask 'Reload task 0005' -Wait");
        Assert.Contains("Reload task 0005", first.Activity);
        Assert.Contains("elapsed", first.StatusDescription);

        PSObject run = session.Run("Get-QrsTaskExecution 'Reload task 0005' -Last 1").AssertNoErrors().Single();
        Assert.False((bool)run.Properties["IsFinished"].Value);
        Assert.Equal("FinishedSuccess", session.Run("Wait-QrsTask 'Reload task 0005'").AssertNoErrors().Single().Properties["Status"].Value.ToString());
    }

    [Fact]
    public void CtrlCWithStopTaskOnCancelStopsTheTaskToo()
    {
        using PowerShellSession session = _sandbox.Connected();
        using IDisposable longer = RunsLasting(TimeSpan.FromSeconds(20));
        PressCtrlCWhileWaiting(session, "Start-QrsTask 'Reload task 0003' -Wait -StopTaskOnCancel");

        PSObject run = session.Run("Wait-QrsTask 'Reload task 0003' -ErrorAction SilentlyContinue").Single();
        Assert.Equal("Aborted", run.Properties["Status"].Value.ToString());
    }

    [Fact]
    public void StopTaskAbortsARunAndTheWaitEndsAtAbortedNotBefore()
    {
        using PowerShellSession session = _sandbox.Connected();
        using IDisposable longer = RunsLasting(TimeSpan.FromSeconds(20));
        session.Run("Start-QrsTask 'Reload task 0004'").AssertNoErrors();
        session.Run("Stop-QrsTask 'Reload task 0004' -Confirm:$false").AssertNoErrors();

        PowerShellResult result = session.Run("Wait-QrsTask 'Reload task 0004'");
        Assert.Equal("Aborted", result.Single().Properties["Status"].Value.ToString());
        Assert.StartsWith("QrsTaskFailed,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void SeveralTasksStartInOneStartManyCallAndWaitTaskFollowsEachOne()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        session.Run("Start-QrsTask 'Reload task 0001', 'Reload task 0002'").AssertNoErrors();

        Assert.Single(_sandbox.Server.Requests.Snapshot(), r => r.Method == "POST" && r.Path.StartsWith("/qrs/task/start/many", StringComparison.Ordinal));
        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Path.Contains("/start/synchronous", StringComparison.Ordinal));
        PowerShellResult waited = session.Run("Get-QrsTask 'Reload task 0001', 'Reload task 0002' | Wait-QrsTask");
        Assert.Equal(2, waited.Output.Count);
        Assert.All(waited.Output, o => Assert.True((bool)o.Properties["IsFinished"].Value));
    }

    [Fact]
    public void TheScriptLogOfARunComesAsTextOrAsAFile()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("Start-QrsTask 'Reload task 0001' -Wait -ErrorAction SilentlyContinue");

        string log = (string)session.Run("Get-QrsTaskExecution 'Reload task 0001' -Last 1 -ScriptLog").AssertNoErrors().Single().BaseObject;
        Assert.Contains("Execution started.", log);

        string folder = Directory.CreateTempSubdirectory("qlikqrs-log-").FullName;
        try
        {
            PSObject file = session.Run("Get-QrsTaskExecution 'Reload task 0001' -Last 1 -ScriptLog -OutFile $args[0]", folder).AssertNoErrors().Single();
            string path = ((FileInfo)file.BaseObject).FullName;
            Assert.StartsWith(folder, path);
            Assert.Equal(log, File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void StartWithWhatIfStartsNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        session.Run("Start-QrsTask 'Reload task 0001' -Wait -WhatIf").AssertNoErrors();

        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Method == "POST");
    }

    [Fact]
    public void OnlyTheSixFinishedStatusesEndAWait()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            [enum]::GetValues([QlikQrs.Model.TaskExecutionStatus]) | Where-Object { [QlikQrs.Tasks.QrsTaskStatus]::IsFinished($_) } | ForEach-Object { $_.ToString() }
            """).AssertNoErrors();

        Assert.Equal(new[] { "Aborted", "FinishedSuccess", "FinishedFail", "Skipped", "Error", "Reset" }, result.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void PollsComeSoonAtFirstAndThenLessOften()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $wait = [QlikQrs.Tasks.QrsTaskWaiter]::FirstPoll
            1..12 | ForEach-Object { $wait.TotalMilliseconds; $wait = [QlikQrs.Tasks.QrsTaskWaiter]::NextPoll($wait) }
            """).AssertNoErrors();

        double[] waits = result.Output.Select(o => Convert.ToDouble(o.BaseObject)).ToArray();
        Assert.Equal(250, waits[0]);
        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.True(waits[3] > waits[0]);
        Assert.Equal(5000, waits[^1]);
    }

    /// <summary>Makes the sandbox's runs take <paramref name="duration"/> until the result is disposed.</summary>
    private IDisposable RunsLasting(TimeSpan duration)
    {
        _sandbox.Server.Tasks.Duration = duration;
        return new Restore(() => _sandbox.Server.Tasks.Duration = Short);
    }

    /// <summary>Runs a wait, presses Ctrl+C once it shows progress, and returns the first progress it showed.</summary>
    private static ProgressRecord PressCtrlCWhileWaiting(PowerShellSession session, string script)
    {
        using var shell = PowerShell.Create(session.Runspace);
        using var progressed = new ManualResetEventSlim();
        shell.Streams.Progress.DataAdded += (_, _) => progressed.Set();
        shell.AddScript(script);
        IAsyncResult running = shell.BeginInvoke();
        Assert.True(progressed.Wait(TimeSpan.FromSeconds(30)), "The wait wrote no progress.");
        shell.Stop();
        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
        return shell.Streams.Progress[0];
    }

    private static Guid TaskId(PowerShellSession session, string name) =>
        (Guid)session.Run("(Get-QrsTask $args[0]).Id", name).AssertNoErrors().Single().BaseObject;

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
