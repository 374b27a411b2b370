using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tagging;
using Task = System.Threading.Tasks.Task;
using static QlikQrs.Commands.EntityFamilyArguments;

namespace QlikQrs.Commands;

/// <summary>
/// A cmdlet that changes what every kind of entity may carry (tags, custom property values, an owner) on entities from
/// the pipeline: full or condensed, from Get-QrsApp, Get-QrsStream, Get-QrsTask or Get-QrsEntity. Each entity is read
/// in full, changed and saved (<see cref="QrsEntityEdit"/>), up to -ThrottleLimit at once.
/// </summary>
public abstract class QrsEntityEditCmdlet : QrsChangeCmdlet
{
    // What the command looks up once for all its entities (a tag, a definition, a user), shared by the records in flight.
    private readonly ConcurrentDictionary<QrsConnection, ConcurrentDictionary<string, Lazy<Task<object?>>>> _lookups = new();

    /// <summary>The entities: apps, streams, users, tasks, data connections... as Get-Qrs* returns them.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    /// <summary>Writes each entity, as saved, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The entity's family, when its kind carries <paramref name="property"/>; otherwise Qrs&lt;Property&gt;NotSupported.</summary>
    protected static QrsEntityFamily FamilyCarrying(QrsEntity entity, string property, string words)
    {
        QrsEntityFamily family = FamilyOf(entity, QrsOperations.Update);
        IdOf(entity);
        if (!QrsEntityEdit.Carries(family, property))
        {
            string kind = QrsIdentity.WordsOf(family.EntityType.Name);
            throw new QrsCommandException($"Qrs{property}NotSupported", ErrorCategory.InvalidArgument,
                $"QRS keeps no {words} on {kind}s: '{entity}' is {QrsIdentity.Article(kind)} {kind}.", entity,
                $"Give an entity that has {words}: an app, a stream, a user, a task, a data connection...");
        }

        return family;
    }

    /// <summary>A refusal met while working on <paramref name="entity"/> (a tag, definition or user that is not there), ending the command with the entity as its target.</summary>
    protected static Exception RefusedFor(QrsEntity entity, QrsCommandException refusal) =>
        Terminating(new ErrorRecord(refusal, refusal.ErrorId, refusal.ErrorRecord.CategoryInfo.Category, entity) { ErrorDetails = refusal.ErrorRecord.ErrorDetails });

    /// <summary>
    /// The result of <paramref name="lookup"/> for <paramref name="key"/> on <paramref name="client"/>'s site, computed once
    /// per command however many entities ask; entities of another connection in the same pipeline get their own.
    /// </summary>
    protected async Task<T> OnceAsync<T>(QrsClient client, string key, Func<Task<T>> lookup) =>
        (T)(await _lookups.GetOrAdd(client.Connection, _ => new(StringComparer.OrdinalIgnoreCase)).GetOrAdd(key, _ => new Lazy<Task<object?>>(async () => await lookup().ConfigureAwait(false))).Value.ConfigureAwait(false))!;

    /// <summary>
    /// Asks -WhatIf/-Confirm with <paramref name="action"/>, then applies <paramref name="change"/> to the entity
    /// (read in full, changed, saved); an entity already as asked is not saved. A failed call is that entity's error.
    /// </summary>
    protected async Task EditAsync(QrsEntity entity, QrsEntityFamily family, string action, Func<JsonObject, bool> change, bool passThru, CancellationToken cancellation)
    {
        Guid id = IdOf(entity);
        string described = QrsIdentityResolver.Describe((IQrsEntity)entity);
        if (!await ShouldProcessAsync($"the {QrsIdentity.WordsOf(family.EntityType.Name)} {described}", action).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            (QrsEntity saved, bool changed) = await QrsEntityEdit.ApplyAsync(ConnectionFor(entity).Client, family, id, change, cancellation).ConfigureAwait(false);
            if (!changed)
            {
                PostVerbose($"{described}: nothing to change, it is as asked already.");
            }

            if (passThru)
            {
                PostObject(saved);
            }
        }
        catch (QrsRequestException exception)
        {
            PostError(exception.About(entity).ToErrorRecord());
        }
    }
}

/// <summary>
/// A Remove- cmdlet that also removes by filter (-Filter): through one QRS selection, however many match, with the
/// count in the confirmation.
/// </summary>
public abstract class QrsBulkRemoveCmdlet : QrsChangeCmdlet
{
    protected const string FilterSet = "Filter";

    /// <summary>Removes every one that fits this QRS filter (name sw 'Test'), in one call through a QRS selection.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string Filter { get; set; } = null!;

    /// <summary>Counts what fits -Filter, asks once with the count ("Remove 1,234 apps matching ..."), and removes them.</summary>
    protected async Task RemoveMatchingAsync(QrsEntityFamily[] families, string noun, CancellationToken cancellation)
    {
        string filter = Filter;
        if (string.IsNullOrWhiteSpace(filter))
        {
            // QRS reads a blank filter as none at all: every one of them would go.
            throw new QrsCommandException("QrsInvalidFilter", ErrorCategory.InvalidArgument, "-Filter is blank, and a blank filter matches everything.", filter,
                "Give a condition, such as name sw 'Test'.");
        }

        long removed = await QrsBulkRemoval.RemoveAsync(ConnectionFor(null).Client, families, filter, noun,
            target => ShouldProcessAsync(target, "Remove"), cancellation).ConfigureAwait(false);
        PostVerbose("Removed " + QrsBulkRemoval.Describe(removed, noun, filter) + ".");
    }
}
