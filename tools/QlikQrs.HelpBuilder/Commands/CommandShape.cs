using System;
using System.Collections.Generic;
using System.Linq;

namespace QlikQrs.HelpBuilder.Commands;

/// <summary>What a compiled cmdlet says about itself: its parameter sets and parameters, as PowerShell binds them.</summary>
public sealed record CommandShape(
    string Name,
    string Verb,
    string Noun,
    string HelpFileName,
    IReadOnlyList<ParameterSetShape> Sets,
    IReadOnlyList<ParameterShape> Parameters,
    IReadOnlyList<string> OutputTypes)
{
    /// <summary>The types the cmdlet takes from the pipeline by value (an array parameter takes its elements).</summary>
    public IReadOnlyList<string> InputTypes =>
        Sets.SelectMany(s => s.Parameters).Where(p => p.ByValue).Select(p => TypeNames.FullName(TypeNames.ElementType(p.Parameter.Type)))
            .Distinct(StringComparer.Ordinal).ToList();

    public IEnumerable<SetParameter> Uses(ParameterShape parameter) =>
        Sets.SelectMany(s => s.Parameters).Where(p => p.Parameter == parameter);
}

/// <summary>A parameter set, its parameters in the order PowerShell shows them, and PowerShell's own syntax line of it.</summary>
public sealed record ParameterSetShape(string Name, bool IsDefault, IReadOnlyList<SetParameter> Parameters, string Syntax);

/// <summary>How a parameter takes part in one set.</summary>
public sealed record SetParameter(ParameterShape Parameter, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName, bool RemainingArguments);

/// <summary>A parameter: what holds for it in every set; <c>InAllSets</c> when it was declared without a set name.</summary>
public sealed record ParameterShape(
    string Name,
    Type Type,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string> AcceptedValues,
    string? DefaultValue,
    bool InAllSets)
{
    public bool IsSwitch => Type == typeof(System.Management.Automation.SwitchParameter);
}
