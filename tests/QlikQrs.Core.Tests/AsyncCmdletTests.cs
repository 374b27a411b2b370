using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Commands;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>The async cmdlet base in a real engine, with work that never leaves the pipeline thread.</summary>
public sealed class AsyncCmdletTests
{
    /// <summary>
    /// A fast server's answer can complete every await at once, so a command's work writes all its objects before it
    /// ever leaves the pipeline thread: far more than the queue to that thread holds.
    /// </summary>
    [Fact]
    public void WorkThatWritesManyObjectsBeforeItsFirstAwaitDoesNotHang()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Write-Burst", typeof(WriteBurstCommand), null));
        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using PowerShell shell = PowerShell.Create(runspace);
        shell.AddCommand("Write-Burst").AddParameter("Count", 2_000);

        IAsyncResult running = shell.BeginInvoke();
        bool finished = running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        if (!finished)
        {
            shell.Stop();
        }

        Assert.True(finished, "Write-Burst hung.");
        Assert.Equal(Enumerable.Range(0, 2_000), shell.EndInvoke(running).Select(o => (int)o.BaseObject));
    }

    [Cmdlet(VerbsCommunications.Write, "Burst")]
    public sealed class WriteBurstCommand : QrsAsyncCmdlet
    {
        [Parameter]
        public int Count { get; set; }

        protected override Task ProcessRecordAsync(CancellationToken cancellation)
        {
            for (int i = 0; i < Count; i++)
            {
                PostObject(i);
            }

            return Task.CompletedTask;
        }
    }
}
