using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using System.Threading;
using QlikQrs.Tests.Harness;

namespace QlikQrs.Tests.Certificates;

/// <summary>
/// Runs a script in a session whose file access obeys the files' modes, so that a mode 000 file or folder is as
/// unreadable to it as to an ordinary user. The tests run as root here, whom modes do not stop: the script runs on a
/// thread of its own without the two capabilities that let root pass (Linux keeps capabilities per thread), in a
/// runspace that runs on that thread. Run as another user, modes stop it anyway.
/// </summary>
internal static class UnreadableFiles
{
    private const uint CapabilityVersion3 = 0x20080522;
    private const int DacOverride = 1;
    private const int DacReadSearch = 2;

    public static (IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(string script, params object[] arguments)
    {
        IReadOnlyList<PSObject> output = Array.Empty<PSObject>();
        IReadOnlyList<ErrorRecord> errors = Array.Empty<ErrorRecord>();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropFileAccessOverride();
                using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
                runspace.Open();
                using PowerShell shell = PowerShell.Create(runspace);
                shell.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(ModuleLocation.ManifestPath);
                shell.Invoke();
                shell.Commands.Clear();
                shell.AddScript(script);
                foreach (object argument in arguments)
                {
                    shell.AddArgument(argument);
                }

                output = shell.Invoke();
                errors = shell.Streams.Error.ToList();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        return failure is RuntimeException terminating ? (output, errors.Append(terminating.ErrorRecord).ToList())
            : failure is not null ? throw new InvalidOperationException("The script could not run without file access override.", failure)
            : (output, errors);
    }

    private static void DropFileAccessOverride()
    {
        if (!OperatingSystem.IsLinux() || geteuid() != 0)
        {
            return;
        }

        var header = new CapabilityHeader { Version = CapabilityVersion3, ThreadId = 0 };
        var data = new CapabilityData[2];
        if (capget(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }

        data[0].Effective &= ~((1u << DacOverride) | (1u << DacReadSearch));
        if (capset(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityHeader
    {
        public uint Version;
        public int ThreadId;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int capget(ref CapabilityHeader header, [In, Out] CapabilityData[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref CapabilityHeader header, [In] CapabilityData[] data);
}
