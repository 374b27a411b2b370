using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Commands;

/// <summary>
/// Runs a cmdlet's async work off the pipeline thread and carries everything it tells PowerShell back onto that
/// thread: objects, errors, verbose, warnings, information, progress, and the ShouldProcess/ShouldContinue questions,
/// so objects reach the pipeline while a response is still arriving. Cmdlets implement ProcessRecordAsync; up to
/// <see cref="Throttle"/> records run at once (change cmdlets' -ThrottleLimit), each one's errors its own. Ctrl+C
/// (StopProcessing) cancels every record's token at once.
/// </summary>
public abstract class QrsAsyncCmdlet : PSCmdlet, IDisposable
{
    // Bounded, so a fast download cannot outrun a slow pipeline by more than this many writes (of objects, batches).
    private const int PendingWrites = 64;

    // Objects from the work cross to the pipeline thread in batches: waking that thread for each one costs more than
    // writing it. A batch goes when it is full, when anything else is posted, when the work ends, or at the latest
    // this long after its first object, so that objects still come out while a slow answer arrives.
    private const int BatchSize = 64;
    private static readonly TimeSpan s_batchAge = TimeSpan.FromMilliseconds(20);

    // Ctrl+C should return within a second, the cleanup of cancelled work included.
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly BlockingCollection<Action> _writes = new(PendingWrites);
    private readonly HashSet<Task> _running = new();
    private readonly object _posting = new();
    private List<object?>? _batch;
    private Timer? _batchTimer;
    private int _pipelineThread;

    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>How many records may be in flight at once.</summary>
    protected virtual int Throttle => 1;

    /// <summary>
    /// The work for the current record. It is started on the pipeline thread, so what it reads of the parameters
    /// before its first await is this record's; read them there (the next record may bind new values meanwhile).
    /// </summary>
    protected abstract Task ProcessRecordAsync(CancellationToken cancellation);

    protected override void ProcessRecord() => Start(ProcessRecordAsync);

    protected override void EndProcessing() => PumpUntil(() => _running.Count == 0);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Starts one record's work; with a throttle of 1 it has finished when this returns.</summary>
    protected void Start(Func<CancellationToken, Task> work)
    {
        _pipelineThread = Environment.CurrentManagedThreadId;
        PumpUntil(() => _running.Count < Throttle);

        // A terminating error thrown before the work's first await is thrown here, on the pipeline thread, as it should.
        Task task = work(_stopping.Token);
        _running.Add(task);
        task.ContinueWith(done => Enqueue(() => Finish(done), CancellationToken.None), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (Throttle == 1)
        {
            PumpUntil(() => _running.Count == 0);
        }
    }

    protected void PostObject(object? value)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            WriteObject(value);
            return;
        }

        lock (_posting)
        {
            (_batch ??= new List<object?>(BatchSize)).Add(value);
            if (_batch.Count == BatchSize)
            {
                SendBatch();
            }
            else if (_batch.Count == 1)
            {
                (_batchTimer ??= new Timer(_ => SendAgedBatch())).Change(s_batchAge, Timeout.InfiniteTimeSpan);
            }
        }
    }

    protected void PostVerbose(string text) => Post(() => WriteVerbose(text));

    protected void PostWarning(string text) => Post(() => WriteWarning(text));

    protected void PostError(ErrorRecord error) => Post(() => WriteError(error));

    protected void PostInformation(string text) => Post(() => WriteInformation(text, new[] { "QlikQrs" }));

    protected void PostProgress(ProgressRecord progress) => Post(() => WriteProgress(progress));

    /// <summary>An error that ends the command (when nothing else could proceed), thrown from the work.</summary>
    protected static Exception Terminating(ErrorRecord error) => new TerminatingError(error);

    /// <summary>ShouldProcess, asked on the pipeline thread (where -WhatIf and -Confirm are answered).</summary>
    protected Task<bool> ShouldProcessAsync(string target, string action) => Ask(() => ShouldProcess(target, action));

    protected Task<bool> ShouldContinueAsync(string query, string caption) => Ask(() => ShouldContinue(query, caption));

    /// <summary>
    /// The progress bar id of the work on <paramref name="key"/> (a file's path, an entity's id): the same for the same
    /// work, and unlike another's, so that bars of work running side by side do not overwrite each other.
    /// </summary>
    protected static int ActivityId(object? key) => 1 + ((key?.GetHashCode() ?? 0) & 0x7fff);

    /// <summary>Reports bytes moved as progress: amount, total and rate, a few times a second.</summary>
    protected IProgress<long> TransferProgress(int activityId, string activity, long? total) => new TransferMeter(this, activityId, activity, total);

    /// <summary>Ends a transfer's progress bar.</summary>
    protected void CompleteProgress(int activityId, string activity) =>
        PostProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });

    private Task<bool> Ask(Func<bool> question)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationTokenRegistration stop = _stopping.Token.Register(() => answer.TrySetCanceled());
        Post(() =>
        {
            try
            {
                answer.TrySetResult(question());
            }
            catch
            {
                answer.TrySetCanceled();
                throw;
            }
        });
        answer.Task.ContinueWith(_ => stop.Dispose(), TaskScheduler.Default);
        return answer.Task;
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the pipeline thread (where the runspace and its state are): at once when the
    /// work is still on it, as it is until its first await that does not complete at once (a fast server's answer
    /// can keep it there for hundreds of objects); queued otherwise. The pipeline thread must never wait on the queue
    /// it alone empties.
    /// </summary>
    protected void Post(Action write)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            write();
            return;
        }

        Enqueue(write, _stopping.Token);
    }

    /// <summary>Queues a write behind the objects posted before it, so that everything arrives in the order it was posted.</summary>
    private void Enqueue(Action write, CancellationToken cancellation)
    {
        lock (_posting)
        {
            SendBatch(cancellation);
            _writes.Add(write, cancellation);
        }
    }

    private void SendBatch(CancellationToken? cancellation = null)
    {
        if (_batch is { } batch)
        {
            _batch = null;
            _writes.Add(() => batch.ForEach(WriteObject), cancellation ?? _stopping.Token);
        }
    }

    private void SendAgedBatch()
    {
        lock (_posting)
        {
            try
            {
                SendBatch();
            }
            catch (OperationCanceledException)
            {
                // Stopped: nothing more is written.
            }
        }
    }

    private void Finish(Task done)
    {
        _running.Remove(done);
        if (done.Exception?.GetBaseException() is Exception failure)
        {
            Report(failure);
        }
    }

    /// <summary>A record's failure: QRS and command errors are that record's error; anything else stops the command.</summary>
    private void Report(Exception failure)
    {
        switch (failure)
        {
            case QrsRequestException request:
                WriteError(request.ToErrorRecord(request.Target));
                break;
            case QrsCommandException command:
                WriteError(command.ErrorRecord);
                break;
            case TerminatingError terminating:
                ThrowTerminatingError(terminating.ErrorRecord);
                break;
            case OperationCanceledException when _stopping.IsCancellationRequested:
            case PipelineStoppedException:
                break;
            default:
                ExceptionDispatchInfo.Capture(failure).Throw();
                break;
        }
    }

    /// <summary>Writes what the work posts, on this (the pipeline) thread, until <paramref name="done"/> holds.</summary>
    private void PumpUntil(Func<bool> done)
    {
        try
        {
            while (!done())
            {
                _writes.Take(_stopping.Token)();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped by the user: PowerShell reports the stop itself.
            throw new PipelineStoppedException();
        }
        catch
        {
            // The pipeline ended early (Select-Object -First, -ErrorAction Stop, an error downstream): stop the
            // work, which may be waiting to hand over its next object, before this command goes away.
            _stopping.Cancel();
            Task.WhenAll(_running).ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>
    /// PowerShell disposes the command when its pipeline ends, also when stopped (Ctrl+C) or failed. Work still
    /// running is cancelled and given a moment to end, so that what it removes on cancellation (a partial download)
    /// is gone when the prompt comes back.
    /// </summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _batchTimer?.Dispose();
        if (Task.WhenAll(_running).ContinueWith(_ => { }, TaskScheduler.Default).Wait(s_stopGrace))
        {
            _stopping.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class TerminatingError(ErrorRecord error) : Exception(error.Exception.Message, error.Exception)
    {
        public ErrorRecord ErrorRecord { get; } = error;
    }

    /// <summary>Turns byte counts into progress records, at most a few a second.</summary>
    private sealed class TransferMeter(QrsAsyncCmdlet cmdlet, int activityId, string activity, long? total) : IProgress<long>
    {
        private static readonly TimeSpan s_every = TimeSpan.FromMilliseconds(250);
        private readonly DateTime _started = DateTime.UtcNow;
        private DateTime _last = DateTime.MinValue;

        public void Report(long done)
        {
            DateTime now = DateTime.UtcNow;
            if (now - _last < s_every && done != total)
            {
                return;
            }

            _last = now;
            double seconds = Math.Max((now - _started).TotalSeconds, 0.001);
            double rate = done / seconds;
            var record = new ProgressRecord(activityId, activity,
                total is long all ? $"{Size(done)} of {Size(all)} at {Size((long)rate)}/s" : $"{Size(done)} at {Size((long)rate)}/s");
            if (total is long whole && whole > 0)
            {
                record.PercentComplete = (int)Math.Min(100, done * 100 / whole);
                record.SecondsRemaining = rate > 0 ? (int)((whole - done) / rate) : -1;
            }

            cmdlet.PostProgress(record);
        }

        private static string Size(long bytes) => bytes switch
        {
            >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GB",
            >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
            >= 1L << 10 => $"{bytes / 1024.0:0} KB",
            _ => $"{bytes} B",
        };
    }
}
