using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Harness;

namespace QlikQrs.Tests.Help;

/// <summary>What <c>Get-Help &lt;cmdlet&gt; -Full</c> shows a user, read from the object Get-Help returns.</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    string Description,
    IReadOnlyList<HelpExample> Examples,
    IReadOnlyList<HelpParameter> Parameters,
    IReadOnlyList<string[]> SyntaxSets,
    IReadOnlyList<(string Type, string Description)> Inputs,
    IReadOnlyList<(string Type, string Description)> Outputs)
{
    public static CommandHelp Read(PowerShellSession session, string name)
    {
        PSObject help = session.Run("Get-Help -Name $args[0] -Full", name).AssertNoErrors().Single();
        return new CommandHelp(
            name,
            Text(Property(help, "Synopsis")),
            Text(Property(help, "description")),
            Items(help, "examples", "example").Select(e => new HelpExample(
                Text(Property(e, "title")).Trim('-', ' '),
                Text(Property(e, "code")),
                Items(Property(e, "remarks")).Select(Text).Where(r => r.Length > 0).ToList())).ToList(),
            Items(help, "parameters", "parameter").Select(p => new HelpParameter(Text(Property(p, "name")), Text(Property(p, "description")))).ToList(),
            Items(help, "syntax", "syntaxItem").Select(s => Items(Property(s, "parameter")).Select(p => Text(Property(p, "name")))
                .Order(StringComparer.OrdinalIgnoreCase).ToArray()).ToList(),
            Types(help, "inputTypes", "inputType"),
            Types(help, "returnValues", "returnValue"));
    }

    private static List<(string, string)> Types(PSObject help, string container, string item) =>
        Items(help, container, item).Select(t => (Text(Property(Property(t, "type"), "name")), Text(Property(t, "description")))).ToList();

    private static IEnumerable<PSObject> Items(PSObject? parent, string container, string item) => Items(Property(Property(parent, container), item));

    private static IEnumerable<PSObject> Items(object? value) => value switch
    {
        null => Enumerable.Empty<PSObject>(),
        PSObject { BaseObject: IEnumerable items and not string } => items.Cast<object>().Select(PSObject.AsPSObject),
        IEnumerable items and not string => items.Cast<object>().Select(PSObject.AsPSObject),
        _ => new[] { PSObject.AsPSObject(value) },
    };

    private static object? Property(object? value, string name) =>
        value is null ? null : PSObject.AsPSObject(value).Properties[name]?.Value;

    /// <summary>Plain text, whether help holds a string, an object with a Text property, or a list of paragraphs.</summary>
    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string text => text.Trim(),
        PSObject { BaseObject: string text } => text.Trim(),
        PSObject wrapped when wrapped.Properties["Text"] is PSPropertyInfo text => Text(text.Value),
        IEnumerable items => string.Join("\n", items.Cast<object?>().Select(Text).Where(t => t.Length > 0)),
        PSObject { BaseObject: IEnumerable items } => Text(items),
        _ => value.ToString()?.Trim() ?? string.Empty,
    };
}

public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks)
{
    public bool NeedsARealSite => Remarks.Any(r => r.StartsWith(ModuleCommands.NeedsARealSite, StringComparison.Ordinal));
}

public sealed record HelpParameter(string Name, string Description);
