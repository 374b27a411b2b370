using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tagging;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Tags entities of any kind by tag name; -Force creates a tag that does not exist yet.</summary>
[Cmdlet(VerbsCommon.Add, "QrsTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(QrsEntity))]
public sealed class AddQrsTagCommand : QrsEntityEditCmdlet
{
    /// <summary>The tags' names.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Tag>))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = null!;

    /// <summary>Creates the tags that do not exist yet (without it, a missing tag is QrsTagNotFound and nothing is changed).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        string[] names = Name.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        bool force = Force.IsPresent;
        bool passThru = PassThru.IsPresent;
        QrsEntityFamily family = FamilyCarrying(entity, "Tags", "tags");
        QrsClient client = ConnectionFor(entity).Client;
        var found = new Dictionary<string, Guid?>();
        foreach (string name in names)
        {
            found[name] = await OnceAsync(client, "tag:" + name, () => QrsTags.FindAsync(client, name, cancellation)).ConfigureAwait(false);
            if (found[name] is null && !force)
            {
                throw RefusedFor(entity, new QrsCommandException("QrsTagNotFound", ErrorCategory.ObjectNotFound, $"There is no tag named '{name}' on {client.Connection.ComputerName}.", name,
                    "Give -Force to create it, or the name of a tag that exists (Get-QrsEntity -Type Tag lists them)."));
            }
        }

        var tags = new List<Guid>();
        foreach (string name in names)
        {
            if ((found[name] ?? await OnceAsync(client, "new tag:" + name, () => CreateAsync(client, name, cancellation)).ConfigureAwait(false)) is Guid id)
            {
                tags.Add(id);
            }
        }

        await EditAsync(entity, family, $"Add tag {string.Join(", ", names.Select(n => $"'{n}'"))}",
            json => QrsEntityEdit.AddReferences(json, "tags", tags), passThru, cancellation).ConfigureAwait(false);
    }

    /// <summary>Creates a missing tag (-Force) when -WhatIf and -Confirm allow; null when they do not.</summary>
    private async Task<Guid?> CreateAsync(QrsClient client, string name, CancellationToken cancellation) =>
        await ShouldProcessAsync($"the tag '{name}'", "Create").ConfigureAwait(false)
            ? await QrsTags.CreateAsync(client, name, cancellation).ConfigureAwait(false)
            : null;
}

/// <summary>Takes tags off entities of any kind, by tag name (wildcards allowed); the tags themselves stay.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(QrsEntity))]
public sealed class RemoveQrsTagCommand : QrsEntityEditCmdlet
{
    /// <summary>The tags' names; * and ? are wildcards.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Tag>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Name { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        QrsNamePattern[] patterns = Name.Select(n => new QrsNamePattern(n)).ToArray();
        bool passThru = PassThru.IsPresent;
        QrsEntityFamily family = FamilyCarrying(entity, "Tags", "tags");
        QrsClient client = ConnectionFor(entity).Client;
        var tags = new HashSet<Guid>();
        foreach (QrsNamePattern pattern in patterns)
        {
            try
            {
                tags.UnionWith(await OnceAsync(client, "tags:" + pattern.Pattern, () => QrsTags.MatchAsync(client, pattern, cancellation)).ConfigureAwait(false));
            }
            catch (QrsCommandException missing)
            {
                throw RefusedFor(entity, missing);
            }
        }

        await EditAsync(entity, family, $"Remove tag {string.Join(", ", patterns.Select(p => $"'{p.Pattern}'"))}",
            json => QrsEntityEdit.RemoveItems(json, "tags", item => QrsEntityEdit.IdOf(item) is Guid id && tags.Contains(id)), passThru, cancellation).ConfigureAwait(false);
    }
}
