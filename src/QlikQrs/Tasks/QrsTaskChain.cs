using System;
using System.Collections.Generic;
using System.Linq;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>One line of a task chain's tree: a task, and how the task above it starts it.</summary>
public sealed class QrsTaskChainLink
{
    internal QrsTaskChainLink(string line, int depth, Guid taskId, string taskName, string? startedBy, QrsTaskOutcome? on, bool enabled, string? cycle)
    {
        Line = line;
        Depth = depth;
        TaskId = taskId;
        TaskName = taskName;
        StartedBy = startedBy;
        On = on;
        Enabled = enabled;
        Cycle = cycle;
    }

    /// <summary>The line as the tree shows it: indentation, how the task is started, and its name.</summary>
    public string Line { get; }

    /// <summary>0 for a chain's first task, 1 for the tasks it starts, and so on.</summary>
    public int Depth { get; }

    public Guid TaskId { get; }

    public string TaskName { get; }

    /// <summary>The task whose ending starts this one; null for a chain's first task.</summary>
    public string? StartedBy { get; }

    /// <summary>Whether the success or the failure of <see cref="StartedBy"/> starts this task.</summary>
    public QrsTaskOutcome? On { get; }

    /// <summary>Whether the trigger that makes this link is enabled.</summary>
    public bool Enabled { get; }

    /// <summary>When this link closes a cycle, the cycle in words: "A -> B -> A".</summary>
    public string? Cycle { get; }

    public override string ToString() => Line;
}

/// <summary>
/// What triggers what: the task events (composite events) of a site as trees, one per chain, each starting at a task
/// that no task event starts. A link back to a task already on the way down closes a cycle, which is named and not
/// followed again; a cycle that no other task leads into is shown from its first task by name.
/// </summary>
public sealed class QrsTaskChain
{
    private readonly Dictionary<Guid, List<(Guid Target, QrsTaskOutcome On, bool Enabled)>> _next = new();
    private readonly HashSet<Guid> _started = new();
    private readonly IReadOnlyDictionary<Guid, string> _names;
    private readonly HashSet<string> _cycleMembers = new();

    public QrsTaskChain(IEnumerable<CompositeEvent> taskEvents, IReadOnlyDictionary<Guid, string> taskNames)
    {
        _names = taskNames;
        foreach (CompositeEvent taskEvent in taskEvents)
        {
            if (Target(taskEvent) is not Guid target)
            {
                continue;
            }

            foreach (CompositeEventRule rule in taskEvent.CompositeRules ?? new List<CompositeEventRule>())
            {
                if (((IQrsEntity?)rule.ReloadTask ?? (IQrsEntity?)rule.ExternalProgramTask ?? rule.UserSyncTask)?.Id is Guid source)
                {
                    if (!_next.TryGetValue(source, out var links))
                    {
                        _next[source] = links = new List<(Guid, QrsTaskOutcome, bool)>();
                    }

                    links.Add((target, rule.RuleState == CompositeEventRuleRuleState.TaskFail ? QrsTaskOutcome.Failure : QrsTaskOutcome.Success, taskEvent.Enabled == true));
                    _started.Add(target);
                }
            }
        }

        foreach (var links in _next.Values)
        {
            links.Sort((a, b) => string.Compare(Name(a.Target), Name(b.Target), StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The cycles the trees walked so far have found, each named once: "A -> B -> A".</summary>
    public List<string> Cycles { get; } = new();

    /// <summary>
    /// The trees of the chains <paramref name="through"/> takes part in (every chain when null), line by line.
    /// </summary>
    public IEnumerable<QrsTaskChainLink> Trees(IReadOnlyCollection<Guid>? through = null)
    {
        var shown = new HashSet<Guid>();
        IEnumerable<Guid> tasks = _next.Keys.Concat(_started).Distinct().OrderBy(Name, StringComparer.OrdinalIgnoreCase).ToList();
        var wanted = through is null ? null : new HashSet<Guid>(Component(through));
        // Chains start at tasks no trigger starts; then cycles no other task leads into start at their first member by name.
        IEnumerable<Guid> firsts = tasks.Where(t => !_started.Contains(t)).Concat(tasks.Where(InCycle)).Concat(tasks);
        foreach (Guid first in firsts)
        {
            if (shown.Contains(first) || (wanted is not null && !wanted.Contains(first)))
            {
                continue;
            }

            foreach (QrsTaskChainLink link in Walk(first, null, null, true, 0, string.Empty, true, new List<Guid>(), shown))
            {
                yield return link;
            }
        }
    }

    private IEnumerable<QrsTaskChainLink> Walk(Guid task, Guid? from, QrsTaskOutcome? on, bool enabled, int depth, string indent, bool last, List<Guid> path, HashSet<Guid> shown)
    {
        string branch = depth == 0 ? string.Empty : indent + (last ? "└─ " : "├─ ");
        string how = on is null ? string.Empty : $"on {(on == QrsTaskOutcome.Success ? "success" : "failure")}{(enabled ? string.Empty : " (disabled)")} → ";
        int loop = path.IndexOf(task);
        if (loop >= 0)
        {
            string cycle = string.Join(" -> ", path.Skip(loop).Append(task).Select(Name));
            if (_cycleMembers.Add(string.Join(",", path.Skip(loop).OrderBy(id => id))))
            {
                Cycles.Add(cycle);
            }

            yield return new QrsTaskChainLink($"{branch}{how}{Name(task)}  (cycle: {cycle})", depth, task, Name(task), from is Guid f ? Name(f) : null, on, enabled, cycle);
            yield break;
        }

        shown.Add(task);
        yield return new QrsTaskChainLink(branch + how + Name(task), depth, task, Name(task), from is Guid s ? Name(s) : null, on, enabled, null);
        path.Add(task);
        if (_next.TryGetValue(task, out var links))
        {
            string childIndent = depth == 0 ? string.Empty : indent + (last ? "   " : "│  ");
            for (int i = 0; i < links.Count; i++)
            {
                foreach (QrsTaskChainLink link in Walk(links[i].Target, task, links[i].On, links[i].Enabled, depth + 1, childIndent, i == links.Count - 1, path, shown))
                {
                    yield return link;
                }
            }
        }

        path.RemoveAt(path.Count - 1);
    }

    /// <summary>Whether a chain leads from <paramref name="task"/> back to it.</summary>
    private bool InCycle(Guid task)
    {
        var seen = new HashSet<Guid>();
        var queue = new Queue<Guid>(new[] { task });
        while (queue.Count > 0)
        {
            foreach (var link in _next.TryGetValue(queue.Dequeue(), out var links) ? links : new List<(Guid Target, QrsTaskOutcome On, bool Enabled)>())
            {
                if (link.Target == task)
                {
                    return true;
                }

                if (seen.Add(link.Target))
                {
                    queue.Enqueue(link.Target);
                }
            }
        }

        return false;
    }

    /// <summary>Every task linked to <paramref name="tasks"/>, in either direction.</summary>
    private IEnumerable<Guid> Component(IEnumerable<Guid> tasks)
    {
        var neighbours = new Dictionary<Guid, List<Guid>>();
        foreach (var pair in _next)
        {
            foreach (var link in pair.Value)
            {
                Add(pair.Key, link.Target);
                Add(link.Target, pair.Key);
            }
        }

        var seen = new HashSet<Guid>(tasks);
        var queue = new Queue<Guid>(seen);
        while (queue.Count > 0)
        {
            foreach (Guid next in neighbours.TryGetValue(queue.Dequeue(), out var list) ? list : new List<Guid>())
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;

        void Add(Guid a, Guid b)
        {
            if (!neighbours.TryGetValue(a, out var list))
            {
                neighbours[a] = list = new List<Guid>();
            }

            list.Add(b);
        }
    }

    private string Name(Guid task) => _names.TryGetValue(task, out string? name) ? name : task.ToString();

    private static Guid? Target(CompositeEvent taskEvent) =>
        ((IQrsEntity?)taskEvent.ReloadTask ?? (IQrsEntity?)taskEvent.ExternalProgramTask ?? taskEvent.UserSyncTask)?.Id;
}
