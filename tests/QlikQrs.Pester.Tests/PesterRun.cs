using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace QlikQrs.Pester.Tests;

/// <summary>
/// One Pester suite run in `dotnet pwsh` (the repository's local tool) through Invoke-PesterSuite.ps1, against the
/// staged module and the built sandbox. The run gets a temporary folder of its own, so that whatever it leaves there
/// is its own; the suites record each sandbox process they start, so that a surviving one is found and named.
/// </summary>
public static class PesterRun
{
    /// <summary>A guard against a hung run, not a measure of speed: the slowest suite takes well under a minute.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static PesterRunResult Run(string suitePath, IReadOnlyDictionary<string, string>? environment = null)
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("qlikqrs-pester-run-");
        try
        {
            return Run(suitePath, folder.FullName, environment ?? new Dictionary<string, string>());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static PesterRunResult Run(string suitePath, string folder, IReadOnlyDictionary<string, string> environment)
    {
        string temp = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        string resultPath = Path.Combine(folder, "pester.xml");
        string sandboxProcesses = Path.Combine(folder, "sandbox-processes.txt");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = BuildOutputs.RepoRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "pwsh", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
            "-File", Path.Combine(BuildOutputs.TestsFolder, "QlikQrs.Pester.Tests", "Invoke-PesterSuite.ps1"),
            "-Path", suitePath, "-Pester", BuildOutputs.PesterModule, "-ResultPath", resultPath,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QLIKQRS_MANIFEST"] = BuildOutputs.ManifestPath;
        start.Environment["QLIKQRS_SANDBOX"] = BuildOutputs.SandboxAssembly;
        start.Environment["QLIKQRS_SANDBOX_PROCESSES"] = sandboxProcesses;
        start.Environment["TMPDIR"] = temp;
        start.Environment["TMP"] = temp;
        start.Environment["TEMP"] = temp;
        start.Environment["NO_COLOR"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        DateTime started = DateTime.Now;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(Limit);
        if (!finished)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        // Before the output is read to its end: a leftover sandbox may hold the same pipes open.
        IReadOnlyList<string> leftoverProcesses = EndLeftoverProcesses(sandboxProcesses, started);
        return new PesterRunResult
        {
            Suite = Path.GetFileName(suitePath),
            ExitCode = process.ExitCode,
            TimedOut = !finished,
            Output = Completed(output),
            Errors = Completed(errors),
            ResultXml = File.Exists(resultPath) ? File.ReadAllText(resultPath) : null,
            LeftoverProcesses = leftoverProcesses,
            LeftoverFolders = Directory.EnumerateFileSystemEntries(temp, "qlikqrs-*").Select(Path.GetFileName).OfType<string>().Order().ToArray(),
        };
    }

    private static string Completed(Task<string> text) => text.Wait(TimeSpan.FromSeconds(30)) ? text.Result : string.Empty;

    /// <summary>The recorded sandbox processes still running, each ended so that the machine stays clean.</summary>
    private static IReadOnlyList<string> EndLeftoverProcesses(string sandboxProcesses, DateTime started)
    {
        if (!File.Exists(sandboxProcesses))
        {
            return [];
        }

        var leftovers = new List<string>();
        foreach (int id in File.ReadAllLines(sandboxProcesses).Where(line => line.Length > 0).Select(int.Parse))
        {
            try
            {
                using Process process = Process.GetProcessById(id);
                // An id can be reused once its process is gone; only a process started during this run is one of its own.
                if (!process.HasExited && process.StartTime >= started)
                {
                    leftovers.Add($"{process.ProcessName} ({id})");
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (ArgumentException)
            {
                // Not running: it stopped, as it should.
            }
        }

        return leftovers;
    }
}
