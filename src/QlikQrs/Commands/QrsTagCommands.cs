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
        var tags = new List<Guid>();
        foreach (string name in names)
        {
            if (await OnceAsync("tag:" + name, () => TagAsync(client, name, force, cancellation)).ConfigureAwait(false) is Guid id)
            {
                tags.Add(id);
            }
        }

        await EditAsync(entity, family, $"Add tag {string.Join(", ", names.Select(n => $"'{n}'"))}",
            json => QrsEntityEdit.AddReferences(json, "tags", tags), passThru, cancellation).ConfigureAwait(false);
    }

    /// <summary>The tag's id; a missing tag is created with -Force (null when -WhatIf or -Confirm said no), and ends the command without it.</summary>
    private async Task<Guid?> TagAsync(QrsClient client, string name, bool force, CancellationToken cancellation)
    {
        if (await QrsTags.FindAsync(client, name, cancellation).ConfigureAwait(false) is Guid existing)
        {
            return existing;
        }

        if (!force)
        {
            throw Terminating(new QrsCommandException("QrsTagNotFound", ErrorCategory.ObjectNotFound, $"There is no tag named '{name}' on {client.Connection.ComputerName}.", name,
                "Give -Force to create it, or the name of a tag that exists (Get-QrsEntity -Type Tag lists them).").ErrorRecord);
        }

        return await ShouldProcessAsync($"the tag '{name}'", "Create").ConfigureAwait(false)
            ? await QrsTags.CreateAsync(client, name, cancellation).ConfigureAwait(false)
            : null;
    }
}

/// <summary>Takes tags off entities of any kind, by tag name (wildcards allowed); the tags themselves stay.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
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
                tags.UnionWith(await OnceAsync("tags:" + pattern.Pattern, () => QrsTags.MatchAsync(client, pattern, cancellation)).ConfigureAwait(false));
            }
            catch (QrsCommandException missing)
            {
                throw Terminating(missing.ErrorRecord);
            }
        }

        await EditAsync(entity, family, $"Remove tag {string.Join(", ", patterns.Select(p => $"'{p.Pattern}'"))}",
            json => QrsEntityEdit.RemoveItems(json, "tags", item => QrsEntityEdit.IdOf(item) is Guid id && tags.Contains(id)), passThru, cancellation).ConfigureAwait(false);
    }
}
