using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Commands;

/// <summary>
/// Runs a cmdlet's async work off the pipeline thread and carries its Write* calls back onto it, so objects reach
/// the pipeline while a response is still arriving. Ctrl+C (StopProcessing) cancels the work's token at once.
/// </summary>
public abstract class QrsAsyncCmdlet : PSCmdlet, IDisposable
{
    // Bounded, so a fast download cannot outrun a slow pipeline by more than this many objects.
    private const int PendingWrites = 256;

    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _writes;

    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs <paramref name="work"/>, writing what it posts, until it ends; its errors are written or thrown here.</summary>
    protected void Run(Func<CancellationToken, Task> work)
    {
        var writes = new BlockingCollection<Action>(PendingWrites);
        _writes = writes;
        Task task = Task.Run(() => work(_stopping.Token), _stopping.Token);
        task.ContinueWith(_ => writes.CompleteAdding(), TaskScheduler.Default);
        try
        {
            foreach (Action write in writes.GetConsumingEnumerable())
            {
                write();
            }

            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped by the user: PowerShell reports the stop itself.
        }
        catch
        {
            // The pipeline ended early (Select-Object -First, an error downstream): stop the work, which may be
            // waiting to hand over its next object, before its collection goes away.
            _stopping.Cancel();
            task.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(10));
            throw;
        }
        finally
        {
            _writes = null;
            if (task.IsCompleted)
            {
                writes.Dispose();
            }
        }
    }

    protected void Post(Action write)
    {
        BlockingCollection<Action> writes = _writes ?? throw new InvalidOperationException("Post is only for work started with Run.");
        writes.Add(write, _stopping.Token);
    }

    protected void PostObject(object? value) => Post(() => WriteObject(value));

    protected void PostVerbose(string text) => Post(() => WriteVerbose(text));

    protected void PostWarning(string text) => Post(() => WriteWarning(text));

    protected void PostError(ErrorRecord error) => Post(() => WriteError(error));

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
