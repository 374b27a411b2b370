using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>
/// Completes -Name with the names of the -Type's entities on the default connection (or -Connection), asking QRS for
/// those starting with what was typed. Answers are kept for half a minute so that pressing Tab again is instant.
/// </summary>
public sealed class QrsEntityNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan s_keep = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, (DateTime At, string[] Names)> s_cache = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? type = fakeBoundParameters["Type"] as string;
        QrsConnection? connection = fakeBoundParameters["Connection"] as QrsConnection ?? ConnectionRegistry.ForCurrentRunspace().Default;
        QrsEntityFamily? family = type is null ? null : QrsEntityFamilies.Find(type);
        if (family is null || connection is null)
        {
            return Array.Empty<CompletionResult>();
        }

        string typed = wordToComplete.Trim('\'', '"');
        string key = $"{connection.Name}|{family.Name}|{typed}";
        if (!s_cache.TryGetValue(key, out var cached) || DateTime.UtcNow - cached.At > s_keep)
        {
            cached = (DateTime.UtcNow, Ask(connection, family, typed));
            s_cache[key] = cached;
        }

        return cached.Names.Select(name => new CompletionResult("'" + name.Replace("'", "''") + "'", name, CompletionResultType.ParameterValue, name));
    }

    private static string[] Ask(QrsConnection connection, QrsEntityFamily family, string typed)
    {
        var names = new List<string>();
        using var wait = new CancellationTokenSource(s_wait);
        string filter = typed.Length == 0 ? string.Empty : "?filter=" + Uri.EscapeDataString("name sw " + QrsFilterBuilder.Literal(typed));
        try
        {
            QrsEntityClient.GetAsync(connection, $"qrs/{family.Name}{filter}", list: true, family.CondensedType,
                    entity => names.Add(entity.ToString() ?? string.Empty), wait.Token)
                .GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is QrsRequestException or OperationCanceledException)
        {
            // Completion offers what it can; a slow or failing server just offers nothing.
        }

        return names.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).Take(100).ToArray();
    }
}
