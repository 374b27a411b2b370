using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>Completes -Type with the entity families QRS has (app, stream, reloadtask, app/object, ...).</summary>
public sealed class QrsEntityTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        return QrsEntityFamilies.All
            .Where(f => f.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(f => new CompletionResult(f.Name.Contains("/") ? $"'{f.Name}'" : f.Name, f.Name, CompletionResultType.ParameterValue, $"{f.EntityType.Name}: /qrs/{f.Name}"));
    }
}
