using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>
/// A cmdlet that talks to QRS: through the connection an entity it was given came from, else -Connection, else the
/// runspace's default connection. An entity from one site and -Connection of another is refused, never a silent
/// write to the wrong site.
/// </summary>
public abstract class QrsConnectedCmdlet : QrsAsyncCmdlet
{
    // The runspace's connections, taken on the pipeline thread: the work runs where there is no current runspace.
    private ConnectionRegistry? _registry;

    /// <summary>The connection to use; the newest Connect-QrsServer of this session when left out.</summary>
    [Parameter]
    public QrsConnection? Connection { get; set; }

    protected override void BeginProcessing()
    {
        _registry = ConnectionRegistry.ForCurrentRunspace();
        base.BeginProcessing();
    }

    /// <summary>The connection when no entity is involved.</summary>
    protected QrsConnection ResolveConnection() => ConnectionFor(null);

    /// <summary>The connection for work on <paramref name="source"/> (an entity, an identity, or null).</summary>
    protected QrsConnection ConnectionFor(object? source)
    {
        QrsConnection? own = source switch
        {
            Model.QrsEntity entity => entity.Connection,
            QrsIdentity identity => identity.Connection,
            _ => null,
        };
        if (own is not null && Connection is not null && !ReferenceEquals(own, Connection))
        {
            throw new QrsCommandException("QrsConnectionMismatch", ErrorCategory.InvalidArgument,
                $"'{source}' was read through the connection '{own.Name}' ({own.BaseUri}), but -Connection is '{Connection.Name}' ({Connection.BaseUri}).",
                source, "Leave -Connection out to use the object's own connection, or get the object again through the connection you mean.");
        }

        return own ?? Connection ?? (_registry ?? ConnectionRegistry.ForCurrentRunspace()).Default
            ?? throw new QrsCommandException("QrsNotConnected", ErrorCategory.ConnectionError,
                "There is no QRS connection.", null,
                "Connect first: Connect-QrsServer -ComputerName <node> -Certificate (Import-QrsCertificate -Path <export folder>).");
    }

    /// <summary>Writes each entity <paramref name="identity"/> stands for, read again in full through its connection.</summary>
    protected async Task PostFullAsync<TFull, TCondensed>(QrsIdentity<TFull, TCondensed> identity, CancellationToken cancellation)
        where TFull : Model.QrsEntity, Model.IQrsEntity
        where TCondensed : Model.QrsEntity, Model.IQrsEntity
    {
        QrsClient client = ConnectionFor(identity).Client;
        await foreach (Model.IQrsEntity found in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            PostObject(await client.GetAsync<TFull>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>A cmdlet that changes QRS: takes its input from the pipeline and can run several changes at once.</summary>
public abstract class QrsChangeCmdlet : QrsConnectedCmdlet
{
    /// <summary>How many changes run at once; errors are reported per item, results as each completes.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    protected override int Throttle => ThrottleLimit;

    /// <summary>
    /// Does <paramref name="work"/> for each entity <paramref name="identity"/> stands for that -WhatIf and -Confirm
    /// allow, through the identity's connection. A failed call is that entity's error; the others still go ahead.
    /// </summary>
    protected async Task ForEachAsync<TFull, TCondensed>(QrsIdentity<TFull, TCondensed> identity, string action, Func<QrsClient, IQrsEntity, Task> work, CancellationToken cancellation)
        where TFull : QrsEntity, IQrsEntity
        where TCondensed : QrsEntity, IQrsEntity
    {
        QrsClient client = ConnectionFor(identity).Client;
        await foreach (IQrsEntity entity in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            if (!await ShouldProcessAsync($"the {identity.Words} {QrsIdentityResolver.Describe(entity)}", action).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await work(client, entity).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(entity).ToErrorRecord());
            }
        }
    }

    /// <summary>
    /// A Set- cmdlet's work: each entity <paramref name="identity"/> stands for is read in full (a piped object may be
    /// condensed or old), changed by <paramref name="apply"/> and saved. <paramref name="changes"/> names each change
    /// given, null for those not given; none at all is QrsNothingToChange, and nothing is sent.
    /// </summary>
    protected Task UpdateEachAsync<TFull, TCondensed>(QrsIdentity<TFull, TCondensed> identity, IEnumerable<string?> changes, string parameters, Action<TFull> apply, bool passThru, CancellationToken cancellation)
        where TFull : QrsEntity, IQrsEntity
        where TCondensed : QrsEntity, IQrsEntity
    {
        string named = string.Join(", ", changes.Where(c => c is not null));
        if (named.Length == 0)
        {
            throw new QrsCommandException("QrsNothingToChange", ErrorCategory.InvalidArgument, $"{MyInvocation.MyCommand.Name} was given nothing to change.", identity, $"Give {parameters}.");
        }

        return ForEachAsync(identity, "Change " + named, async (client, found) =>
        {
            TFull entity = await client.GetAsync<TFull>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
            apply(entity);
            QrsEntity saved = await client.UpdateAsync(QrsEntityFamily.Of(entity), found.Id!.Value, entity, cancellation).ConfigureAwait(false);
            if (passThru)
            {
                PostObject(saved);
            }
        }, cancellation);
    }
}
