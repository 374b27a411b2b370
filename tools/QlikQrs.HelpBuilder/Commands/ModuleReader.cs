using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace QlikQrs.HelpBuilder.Commands;

/// <summary>
/// Imports a module's manifest into the real PowerShell engine, as a user would, and reads its cmdlets as PowerShell
/// binds them. Common parameters are left out (Get-Help adds them); -WhatIf and -Confirm are the cmdlet's own.
/// </summary>
public static class ModuleReader
{
    public static IReadOnlyList<CommandShape> ReadCmdlets(string manifestPath)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using PowerShell shell = PowerShell.Create(runspace);
        PSModuleInfo module = shell.AddCommand("Import-Module").AddParameter("Name", manifestPath).AddParameter("PassThru").AddParameter("ErrorAction", "Stop")
            .Invoke<PSModuleInfo>().Single();
        return module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(Shape).ToList();
    }

    private static CommandShape Shape(CmdletInfo cmdlet)
    {
        object? fresh = NewInstance(cmdlet.ImplementingType);
        var parameters = new Dictionary<string, ParameterShape>(StringComparer.OrdinalIgnoreCase);
        ParameterShape ParameterOf(CommandParameterInfo info)
        {
            if (!parameters.TryGetValue(info.Name, out ParameterShape? shape))
            {
                shape = new ParameterShape(
                    info.Name,
                    info.ParameterType,
                    info.Aliases.ToList(),
                    info.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
                    AcceptedValues(info),
                    DefaultValue(fresh, info),
                    cmdlet.Parameters[info.Name].ParameterSets.ContainsKey(ParameterAttribute.AllParameterSets));
                parameters.Add(info.Name, shape);
            }

            return shape;
        }

        var sets = cmdlet.ParameterSets.Select(set => new ParameterSetShape(
            set.Name,
            set.IsDefault,
            set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name))
                .Select((p, index) => (Info: p, Index: index))
                .OrderBy(p => p.Info.Position >= 0 ? 0 : p.Info.IsMandatory ? 1 : 2)
                .ThenBy(p => p.Info.Position >= 0 ? p.Info.Position : p.Index)
                .Select(p => new SetParameter(ParameterOf(p.Info), p.Info.IsMandatory, p.Info.Position >= 0 ? p.Info.Position : null,
                    p.Info.ValueFromPipeline, p.Info.ValueFromPipelineByPropertyName, p.Info.ValueFromRemainingArguments))
                .ToList(),
            $"{cmdlet.Name} {set}")).ToList();

        return new CommandShape(
            cmdlet.Name,
            cmdlet.Verb,
            cmdlet.Noun,
            Path.GetFileName(cmdlet.ImplementingType.Assembly.Location) + "-Help.xml",
            sets,
            parameters.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            cmdlet.OutputType.Select(t => t.Type == typeof(void) ? "None" : t.Type?.FullName ?? t.Name).Distinct().ToList());
    }

    private static IReadOnlyList<string> AcceptedValues(CommandParameterInfo info)
    {
        if (info.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault() is ValidateSetAttribute set)
        {
            return set.ValidValues.ToList();
        }

        Type type = TypeNames.ElementType(info.ParameterType);
        return type.IsEnum ? Enum.GetNames(type) : Array.Empty<string>();
    }

    private static object? NewInstance(Type type)
    {
        try
        {
            return Activator.CreateInstance(type);
        }
        catch (MissingMethodException)
        {
            return null;
        }
    }

    /// <summary>The value a new cmdlet object starts with, when it is not the type's own default (null, 0, false).</summary>
    private static string? DefaultValue(object? cmdlet, CommandParameterInfo info)
    {
        object? value = cmdlet?.GetType().GetProperty(info.Name)?.GetValue(cmdlet);
        Type type = TypeNames.Unwrap(info.ParameterType);
        object? empty = type.IsValueType ? Activator.CreateInstance(type) : null;
        if (value is null || value.Equals(empty) || value is SwitchParameter { IsPresent: false })
        {
            return null;
        }

        return value is IEnumerable items and not string
            ? string.Join(", ", items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)))
            : Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
