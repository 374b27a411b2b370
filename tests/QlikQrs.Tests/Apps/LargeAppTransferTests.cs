using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace QlikQrs.Tests.Apps;

/// <summary>
/// Runs alone: the memory of the test process is measured, and other tests running beside it would add theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeTransferCollection
{
    public const string Name = "Large transfers";
}

/// <summary>App files past 4 GB through Import-QrsApp and Export-QrsApp, and exports that fail or are stopped.</summary>
[Collection(LargeTransferCollection.Name)]
public sealed class LargeAppTransferTests : IClassFixture<SandboxSession>
{
    // Past 4 GiB by an odd amount: lengths and offsets that do not fit 32 bits, and a last read that is not a whole buffer.
    private const long LargeSize = (4L << 30) + 4096 + 17;

    // The sparse source costs nothing; the sandbox keeps the app's file and a copy for the export, and the download
    // is a third file. A gigabyte more, so the test does not fill the disk for everything else.
    private const long RoomNeeded = 3 * LargeSize + (1L << 30);

    /// <summary>
    /// Bounds on the growth of the test process while 8 GB pass through it (both ends run here: the module in the
    /// engine, and the sandbox). Streaming needs a few buffers (80 KB in the module, Kestrel's and TLS's pipes; about
    /// 6 MB managed and 18 MB working set were seen); holding the file, or any sizeable part of it, grows by
    /// gigabytes or fails outright. The managed bound is the one issue 10 sets for the pwsh process; the working set
    /// gets twice that for what the runtime holds outside the managed heap (TLS, sockets, thread stacks), which
    /// varies with the machine's load.
    /// </summary>
    private const long ManagedBound = 64L << 20;

    private const long WorkingSetBound = 128L << 20;

    private readonly SandboxSession _sandbox;
    private readonly ITestOutputHelper _output;

    public LargeAppTransferTests(SandboxSession sandbox, ITestOutputHelper output)
    {
        _sandbox = sandbox;
        _output = output;
    }

    [DiskRoomFact(RoomNeeded)]
    public void AnAppOverFourGigabytesGoesUpAndComesBackWholeWhileMemoryStaysFlat()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-large-").FullName;
        using PowerShellSession session = _sandbox.Connected();
        string name = "Large " + Guid.NewGuid();
        try
        {
            string source = Path.Combine(folder, "Large.qvf");
            long[] offsets = { 0, (1L << 31) - 5, (1L << 32) - 7, (1L << 32) + 1000, LargeSize - 16 };
            byte[][] markers = WriteSparseWithMarkers(source, LargeSize, offsets);
            WarmUp(session, folder);

            // -Timeout limits waiting, not transferring: the upload keeps moving for far longer than this connection's
            // 5 seconds. The export goes through the first one (100 s): the sandbox copies the 4 GB before it answers.
            session.Run("""
                $script:steady = Get-QrsConnection -Default
                $script:quick = Connect-QrsServer -Name quick -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Timeout 5 -PassThru
                """, _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();

            MemoryGrowth growth;
            PowerShellResult import;
            PowerShellResult export;
            var clock = Stopwatch.StartNew();
            TimeSpan uploaded;
            using (var watch = new MemoryWatch())
            {
                import = session.Run("Import-QrsApp -Path $args[0] -Name $args[1] -Connection $script:quick -Confirm:$false", source, name).AssertNoErrors();
                uploaded = clock.Elapsed;
                export = session.Run("Get-QrsApp -Name $args[0] -Connection $script:steady | Export-QrsApp -Path $args[1]", name, Path.Combine(folder, "back")).AssertNoErrors();
                growth = watch.Stop();
            }

            _output.WriteLine($"Upload {uploaded.TotalSeconds:0} s, export {(clock.Elapsed - uploaded).TotalSeconds:0} s; peak growth: managed {growth.Managed / 1e6:0.0} MB, working set {growth.WorkingSet / 1e6:0.0} MB.");
            Assert.Equal(LargeSize, Convert.ToInt64(import.Single().Properties["FileSize"].Value, System.Globalization.CultureInfo.InvariantCulture));
            FileInfo back = Assert.IsType<FileInfo>(export.Single().BaseObject);
            Assert.Equal(LargeSize, back.Length);
            using (FileStream file = back.OpenRead())
            {
                for (int i = 0; i < offsets.Length; i++)
                {
                    Assert.True(markers[i].SequenceEqual(ReadAt(file, offsets[i], markers[i].Length)), $"The bytes at offset {offsets[i]:N0} differ.");
                }
            }

            Assert.Equal(new[] { "back", "Large.qvf" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
            Assert.True(growth.Managed < ManagedBound, $"The managed heap grew by {growth.Managed / 1e6:0} MB (bound {ManagedBound >> 20} MB).");
            Assert.True(growth.WorkingSet < WorkingSetBound, $"The working set grew by {growth.WorkingSet / 1e6:0} MB (bound {WorkingSetBound >> 20} MB).");
        }
        finally
        {
            session.Run("Get-QrsApp -Name $args[0] | Remove-QrsApp -Confirm:$false", name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("reset", "QrsResponseIncomplete")]
    [InlineData("stall", "QrsTimeout")]
    public void AnExportThatFailsWhileArrivingLeavesNoFile(string fault, string errorId)
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-broken-export-").FullName;
        using PowerShellSession session = _sandbox.Connected();
        try
        {
            session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Timeout 2", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
            string app = (string)session.Run("@(Get-QrsApp)[0].Name").Single().BaseObject;
            if (fault == "reset")
            {
                _sandbox.Server.Faults.ResetConnectionNext(1, "/tempcontent/");
            }
            else
            {
                _sandbox.Server.Faults.StallBodyNext(1, "/tempcontent/");
            }

            PowerShellResult result = session.Run("Export-QrsApp -App $args[0] -Path $args[1]", app, Path.Combine(folder, "app.qvf"));

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Empty(result.Output);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            _sandbox.Server.Faults.Clear();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnExportStoppedWithCtrlCLeavesNoFile()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-stopped-export-").FullName;
        using PowerShellSession session = _sandbox.Connected();
        try
        {
            string app = (string)session.Run("@(Get-QrsApp)[0].Name").Single().BaseObject;
            _sandbox.Server.Faults.StallBodyNext(1, "/tempcontent/");
            using PowerShell shell = PowerShell.Create(session.Runspace);
            shell.AddScript("Export-QrsApp -App $args[0] -Path $args[1]").AddArgument(app).AddArgument(Path.Combine(folder, "app.qvf"));
            IAsyncResult running = shell.BeginInvoke();

            // The first half of the answer has arrived and is being written when the user stops the command.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Directory.GetFileSystemEntries(folder).Length == 0)
            {
                await Task.Delay(20, patience.Token);
            }

            shell.Stop();

            Assert.True(running.IsCompleted);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            _sandbox.Server.Faults.Clear();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A file of <paramref name="length"/> that takes no room but a few random bytes at each offset, which it returns.</summary>
    private static byte[][] WriteSparseWithMarkers(string path, long length, long[] offsets)
    {
        var random = new Random(10);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(length);
        return offsets.Select(offset =>
        {
            byte[] marker = new byte[16];
            random.NextBytes(marker);
            file.Position = offset;
            file.Write(marker);
            return marker;
        }).ToArray();
    }

    private static byte[] ReadAt(FileStream file, long offset, int count)
    {
        byte[] bytes = new byte[count];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>One small upload and export first, so that what is measured is the transfer, not loading and compiling its code.</summary>
    private static void WarmUp(PowerShellSession session, string folder)
    {
        string small = Path.Combine(folder, "warm-up.qvf");
        File.WriteAllBytes(small, new byte[100_000]);
        session.Run("""
            $app = Import-QrsApp -Path $args[0] -Name ('Warm-up ' + [guid]::NewGuid()) -Confirm:$false
            $null = $app | Export-QrsApp -Path $args[1]
            $app | Remove-QrsApp -Confirm:$false
            """, small, Path.Combine(folder, "warm-up-back.qvf")).AssertNoErrors();
        File.Delete(small);
        File.Delete(Path.Combine(folder, "warm-up-back.qvf"));
    }

    private readonly record struct MemoryGrowth(long Managed, long WorkingSet);

    /// <summary>
    /// Samples the process every 20 ms from the moment it is made: the highest managed heap (collected or not) and
    /// working set, less what they were at the start after a full collection.
    /// </summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly long _managedBaseline;
        private readonly long _workingSetBaseline;
        private readonly Thread _sampler;
        private volatile bool _stopping;
        private long _managedPeak;
        private long _workingSetPeak;

        public MemoryWatch()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            _managedBaseline = _managedPeak = GC.GetTotalMemory(forceFullCollection: true);
            _workingSetBaseline = _workingSetPeak = WorkingSet();
            _sampler = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
            _sampler.Start();
        }

        public MemoryGrowth Stop()
        {
            _stopping = true;
            _sampler.Join();
            return new MemoryGrowth(_managedPeak - _managedBaseline, _workingSetPeak - _workingSetBaseline);
        }

        public void Dispose()
        {
            _stopping = true;
            _sampler.Join();
        }

        private void Sample()
        {
            while (!_stopping)
            {
                _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
                _workingSetPeak = Math.Max(_workingSetPeak, WorkingSet());
                Thread.Sleep(20);
            }
        }

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }
}

/// <summary>
/// A fact that needs this much free disk in the temporary folder; with less it is skipped, saying how much it needs and
/// how much there is (xunit 2 decides skips when it finds the tests, hence an attribute).
/// </summary>
public sealed class DiskRoomFactAttribute : FactAttribute
{
    public DiskRoomFactAttribute(long bytesNeeded)
    {
        string temp = Path.GetTempPath();
        long free = new DriveInfo(temp).AvailableFreeSpace;
        if (free < bytesNeeded)
        {
            Skip = $"Needs {bytesNeeded / 1e9:0.0} GB free in {temp} (the sandbox's copies of the app and the download); {free / 1e9:0.0} GB are free.";
        }
    }
}
