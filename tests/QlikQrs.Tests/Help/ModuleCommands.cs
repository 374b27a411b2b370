using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Harness;

namespace QlikQrs.Tests.Help;

/// <summary>
/// What the compiled cmdlets say about themselves, read from the staged module in the engine: the truth the help is
/// checked against. Common parameters are left out (Get-Help adds them); -WhatIf and -Confirm are the cmdlet's own.
/// </summary>
public static class ModuleCommands
{
    /// <summary>The marker that starts the last paragraph of an example that cannot run against the sandbox.</summary>
    public const string NeedsARealSite = "Needs a real site:";

    private static readonly Lazy<string[]> s_names = new(() =>
    {
        using var session = new PowerShellSession(importModule: false);
        return session.Run("(Test-ModuleManifest -Path $args[0]).ExportedCmdlets.Keys", ModuleLocation.ManifestPath)
            .Output.Select(o => (string)o.BaseObject).Order(StringComparer.Ordinal).ToArray();
    });

    /// <summary>Every cmdlet the manifest exports, as test data.</summary>
    public static IEnumerable<object[]> Cmdlets => s_names.Value.Select(n => new object[] { n });

    public static IReadOnlyList<string> Names => s_names.Value;

    public static CmdletInfo Get(PowerShellSession session, string name) =>
        (CmdletInfo)session.Run("Get-Command -Name $args[0] -Module QlikQrs -CommandType Cmdlet", name).Single().BaseObject;

    public static string[] ParameterNames(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p)).Order(StringComparer.OrdinalIgnoreCase).ToArray();

    public static string[] SetParameterNames(CommandParameterSetInfo set) =>
        set.Parameters.Select(p => p.Name).Where(p => !Cmdlet.CommonParameters.Contains(p)).Order(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The types the cmdlet takes from the pipeline by value; an array parameter takes its elements.</summary>
    public static string[] InputTypeNames(CmdletInfo cmdlet)
    {
        string[] types = cmdlet.ParameterSets.SelectMany(s => s.Parameters).Where(p => p.ValueFromPipeline)
            .Select(p => p.ParameterType.IsArray ? p.ParameterType.GetElementType()! : p.ParameterType)
            .Select(t => (Nullable.GetUnderlyingType(t) ?? t).FullName!)
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        return types.Length == 0 ? new[] { "None" } : types;
    }

    public static string[] OutputTypeNames(CmdletInfo cmdlet)
    {
        string[] types = cmdlet.OutputType.Select(t => t.Type == typeof(void) ? "None" : t.Type?.FullName ?? t.Name)
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        return types.Length == 0 ? new[] { "None" } : types;
    }
}
