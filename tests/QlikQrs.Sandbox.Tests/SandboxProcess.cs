using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// The built sandbox executable run as its own process, as a user or a script runs it: the apphost the build copies
/// next to these tests, with its own temporary folder so that a test can see what it leaves behind.
/// </summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private const string ListeningLine = "QRS sandbox listening on ";

    /// <summary>Starting includes minting the certificate set; a loaded machine may take a while.</summary>
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly StringBuilder _output = new();

    private SandboxProcess(Process process, Uri baseAddress)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        BaseAddress = baseAddress;
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "QlikQrs.Sandbox.exe" : "QlikQrs.Sandbox");

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>
    /// Starts the sandbox with <paramref name="arguments"/> (a free port is added) and <paramref name="temporaryFolder"/>
    /// as its temporary folder, and returns once it listens. Standard input is a pipe the test may close.
    /// </summary>
    public static async Task<SandboxProcess> StartAsync(string temporaryFolder, params string[] arguments)
    {
        Assert.True(File.Exists(Executable), $"The build puts the sandbox executable next to the tests: {Executable}");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(temporaryFolder);
        start.Environment["TMPDIR"] = temporaryFolder;
        start.Environment["TMP"] = temporaryFolder;
        start.Environment["TEMP"] = temporaryFolder;
        Process process = Process.Start(start)!;
        try
        {
            using var bound = new CancellationTokenSource(StartBound);
            var output = new StringBuilder();
            while (await process.StandardOutput.ReadLineAsync(bound.Token) is string line)
            {
                output.AppendLine(line);
                if (line.StartsWith(ListeningLine, StringComparison.Ordinal))
                {
                    // "https://localhost:<port>/qrs (mutual TLS)." names the port it chose.
                    var address = new Uri(line.Substring(ListeningLine.Length).Split(' ')[0]);
                    var sandbox = new SandboxProcess(process, new Uri(address, "/"));
                    sandbox._output.Append(output);
                    return sandbox;
                }
            }

            throw new InvalidOperationException($"The sandbox ended before it listened (exit code {process.ExitCode}): {output}{await process.StandardError.ReadToEndAsync()}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends a POSIX signal the way a shell or a service manager does.</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Waits up to <paramref name="bound"/> for the process to end; returns its exit code and everything it wrote.</summary>
    public async Task<(bool Exited, int ExitCode, string Output)> WaitForExitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return (false, -1, _output.ToString());
        }

        _output.Append(await _process.StandardOutput.ReadToEndAsync()).Append(await _errors);
        return (true, _process.ExitCode, _output.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
