using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace QlikQrs.Tests.Harness;

/// <summary>
/// A runspace of the real PowerShell engine with the staged QlikQrs imported from its manifest, as a user's
/// session would have it. Only the core commands exist here (no Write-Output, Select-Object, ...).
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        if (importModule)
        {
            PowerShellResult import = Run("Import-Module -Name $args[0] -ErrorAction Stop", ModuleLocation.ManifestPath);
            if (import.Errors.Count > 0)
            {
                throw new InvalidOperationException("Import-Module QlikQrs failed: " + import.Errors[0]);
            }
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script; positional arguments arrive as <c>$args</c>.</summary>
    public PowerShellResult Run(string script, params object?[] arguments)
    {
        using PowerShell shell = PowerShell.Create(_runspace);
        shell.AddScript(script);
        foreach (object? argument in arguments)
        {
            shell.AddArgument(argument);
        }

        return Invoke(shell);
    }

    /// <summary>Runs one command with named parameters, as the binder would see them from a script.</summary>
    public PowerShellResult Command(string name, IDictionary? parameters = null, object? pipelineInput = null)
    {
        using PowerShell shell = PowerShell.Create(_runspace);
        shell.AddCommand(name);
        if (parameters is not null)
        {
            shell.AddParameters(parameters);
        }

        return pipelineInput is null ? Invoke(shell) : Invoke(shell, pipelineInput);
    }

    private static PowerShellResult Invoke(PowerShell shell, object? input = null)
    {
        var output = new List<PSObject>();
        var terminating = new List<ErrorRecord>();
        try
        {
            IEnumerable? inputs = input is null ? null : input is IEnumerable e and not string ? e : new[] { input };
            output.AddRange(inputs is null ? shell.Invoke() : shell.Invoke(inputs));
        }
        catch (RuntimeException exception)
        {
            terminating.Add(exception.ErrorRecord);
        }

        return new PowerShellResult
        {
            Output = output,
            Errors = shell.Streams.Error.Concat(terminating).ToList(),
            Warnings = shell.Streams.Warning.ToList(),
            Verbose = shell.Streams.Verbose.ToList(),
        };
    }

    public void Dispose() => _runspace.Dispose();
}
