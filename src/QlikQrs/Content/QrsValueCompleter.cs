using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace QlikQrs.Content;

/// <summary>Completes a parameter from a fixed list of the values QRS knows; others may still be typed.</summary>
public abstract class QrsValueCompleter : IArgumentCompleter
{
    protected abstract IReadOnlyList<string> Values { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Values.Where(v => v.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
}

/// <summary>Completes -ObjectType with the object types QRS stores for apps.</summary>
public sealed class AppObjectTypeCompleter : QrsValueCompleter
{
    protected override IReadOnlyList<string> Values { get; } = new[]
    {
        "sheet", "story", "bookmark", "masterobject", "dimension", "measure", "embeddedsnapshot", "appprops", "LoadModel", "GenericVariableEntry",
    };
}

/// <summary>Completes a data connection's -Type with the connectors a site has from installation.</summary>
public sealed class DataConnectionTypeCompleter : QrsValueCompleter
{
    protected override IReadOnlyList<string> Values { get; } = new[] { "folder", "ODBC", "OLEDB", "internet", "QvRestConnector.exe", "QvOdbcConnectorPackage.exe" };
}
