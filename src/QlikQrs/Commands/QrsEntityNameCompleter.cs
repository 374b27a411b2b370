using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>
/// Completes entity names from the server: the default connection (or -Connection) is asked for the names starting
/// with what was typed. Answers are kept for half a minute so that pressing Tab again is instant; a slow or failing
/// server offers nothing rather than holding the prompt.
/// </summary>
public abstract class QrsNameCompleterBase : IArgumentCompleter
{
    private static readonly TimeSpan s_keep = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, (DateTime At, string[] Names)> s_cache = new();

    /// <summary>The family to complete names of, given what else is on the command line.</summary>
    protected abstract QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters);

    /// <summary>The property names are completed from: name, or what a family without one is known by.</summary>
    protected virtual string NameProperty => "name";

    /// <summary>Whether the names are read from the full entities (the condensed ones lack them).</summary>
    protected virtual bool Full => false;

    /// <summary>The value of <see cref="NameProperty"/> of an entity.</summary>
    protected virtual string? NameOf(QrsEntity entity) => (entity as IQrsNamedEntity)?.Name;

    /// <summary>The families whose names are offered: the one <see cref="FamilyOf"/> names, unless a kind spans several.</summary>
    protected virtual IReadOnlyList<QrsEntityFamily> FamiliesOf(IDictionary fakeBoundParameters) =>
        FamilyOf(fakeBoundParameters) is QrsEntityFamily family ? new[] { family } : Array.Empty<QrsEntityFamily>();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        QrsConnection? connection = fakeBoundParameters["Connection"] as QrsConnection ?? ConnectionRegistry.ForCurrentRunspace().Default;
        IReadOnlyList<QrsEntityFamily> families = FamiliesOf(fakeBoundParameters);
        if (families.Count == 0 || connection is null)
        {
            return Array.Empty<CompletionResult>();
        }

        string typed = wordToComplete.Trim('\'', '"');
        string key = $"{connection.Name}|{string.Join(",", families.Select(f => f.Name))}|{typed}";
        if (!s_cache.TryGetValue(key, out var cached) || DateTime.UtcNow - cached.At > s_keep)
        {
            cached = (DateTime.UtcNow, Ask(connection, families, typed));
            s_cache[key] = cached;
        }

        return cached.Names.Select(name => new CompletionResult("'" + name.Replace("'", "''") + "'", name, CompletionResultType.ParameterValue, name));
    }

    private string[] Ask(QrsConnection connection, IReadOnlyList<QrsEntityFamily> families, string typed)
    {
        using var wait = new CancellationTokenSource(s_wait);
        try
        {
            return Task.Run(async () =>
            {
                var names = new List<string>();
                string? filter = typed.Length == 0 ? null : NameProperty + " sw " + QrsFilterBuilder.Literal(typed);
                foreach (QrsEntityFamily family in families)
                {
                    await foreach (QrsEntity entity in connection.Client.ListAsync(family, full: Full, new QrsQuery(filter), wait.Token).ConfigureAwait(false))
                    {
                        if (NameOf(entity) is string name && name.Length > 0)
                        {
                            names.Add(name);
                        }
                    }
                }

                return names.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).Take(100).ToArray();
            }).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is QrsRequestException or OperationCanceledException)
        {
            return Array.Empty<string>();
        }
    }
}

/// <summary>Completes Get-QrsEntity's -Name from the family its -Type names.</summary>
public sealed class QrsEntityNameCompleter : QrsNameCompleterBase
{
    protected override QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters) =>
        fakeBoundParameters["Type"] is string type ? QrsEntityFamilies.Find(type) : null;
}

/// <summary>Completes an identity parameter with the names of <typeparamref name="T"/>'s family.</summary>
public sealed class QrsNameCompleter<T> : QrsNameCompleterBase
    where T : QrsEntity
{
    protected override QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters) => QrsEntityFamilies.OfType(typeof(T));
}

/// <summary>Completes a task identity with the names of tasks of every kind.</summary>
public sealed class QrsTaskNameCompleter : QrsNameCompleterBase
{
    protected override QrsEntityFamily? FamilyOf(IDictionary fakeBoundParameters) => null;

    protected override IReadOnlyList<QrsEntityFamily> FamiliesOf(IDictionary fakeBoundParameters) => Tasks.QrsTaskKinds.All;
}
