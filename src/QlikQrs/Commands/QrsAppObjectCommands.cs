using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Content;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets app objects (sheets, stories, bookmarks, master items...) by name, app, type, owner, published or approved state.</summary>
[Cmdlet(VerbsCommon.Get, "QrsAppObject", DefaultParameterSetName = ListSet)]
[OutputType(typeof(AppObject))]
public sealed class GetQrsAppObjectCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>App objects with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<AppObject>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Objects of these apps (a pattern takes every app it matches).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity? App { get; set; }

    /// <summary>Objects of these types: sheet, story, bookmark, masterobject, dimension, measure, ...</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(AppObjectTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ObjectType { get; set; }

    /// <summary>Only published objects (-Published) or only private ones (-Published:$false).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Published { get; set; }

    /// <summary>Only approved objects, the app's base sheets (-Approved), or only unapproved ones (-Approved:$false).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Approved { get; set; }

    /// <summary>Objects owned by this user: DIR\userid, or the user's name.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>App objects given by object (AppObject, AppObjectCondensed, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public AppObjectIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        AppIdentity? app = App;
        QrsClient site = ConnectionFor(app).Client;
        var conditions = new List<string?> { Filter };
        if (app is not null)
        {
            var apps = new List<string>();
            await foreach (IQrsEntity each in QrsIdentityResolver.ResolveAsync(site, app, cancellation).ConfigureAwait(false))
            {
                apps.Add($"app.id eq {each.Id}");
            }

            if (apps.Count == 0)
            {
                return;
            }

            conditions.Add(QrsFilterBuilder.Or(apps.ToArray()));
        }

        if (ObjectType is not null)
        {
            conditions.Add(QrsFilterBuilder.Or(ObjectType.Select(t => "objectType eq " + QrsFilterBuilder.Literal(t)).ToArray()));
        }

        if (Owner is not null)
        {
            conditions.Add(UserFilter.For("owner", Owner));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Published)))
        {
            conditions.Add("published eq " + (Published.IsPresent ? "true" : "false"));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Approved)))
        {
            conditions.Add("approved eq " + (Approved.IsPresent ? "true" : "false"));
        }

        await foreach (AppObject found in QrsFinder.FindAsync<AppObject>(site, Name, Id, QrsFilterBuilder.And(conditions.ToArray()), "name", cancellation).ConfigureAwait(false))
        {
            PostObject(found);
        }
    }
}

/// <summary>The four changes of an app object's state: each is one QRS call per object, which returns the object as it now is.</summary>
public abstract class AppObjectStateCommand : QrsChangeCmdlet
{
    /// <summary>The app objects: names (wildcards allowed), ids or app objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<AppObject>))]
    [SupportsWildcards]
    public AppObjectIdentity AppObject { get; set; } = null!;

    /// <summary>What ShouldProcess names the change: Publish, Unpublish, Approve, Unapprove.</summary>
    private protected abstract string Action { get; }

    private protected abstract Task<AppObject> ChangeAsync(QrsClient client, Guid id, CancellationToken cancellation);

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ForEachAsync(AppObject, Action, async (client, found) => PostObject(await ChangeAsync(client, found.Id!.Value, cancellation).ConfigureAwait(false)), cancellation);
}

/// <summary>Publishes app objects of a published app, so that every user of its stream sees them (community sheets).</summary>
[Cmdlet(VerbsData.Publish, "QrsAppObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AppObject))]
public sealed class PublishQrsAppObjectCommand : AppObjectStateCommand
{
    private protected override string Action => "Publish";

    private protected override Task<AppObject> ChangeAsync(QrsClient client, Guid id, CancellationToken cancellation) => client.PublishAppObjectAsync(id, publish: true, cancellation);
}

/// <summary>Makes published app objects private to their owners again; an approved object loses its approval too.</summary>
[Cmdlet(VerbsData.Unpublish, "QrsAppObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AppObject))]
public sealed class UnpublishQrsAppObjectCommand : AppObjectStateCommand
{
    private protected override string Action => "Unpublish";

    private protected override Task<AppObject> ChangeAsync(QrsClient client, Guid id, CancellationToken cancellation) => client.PublishAppObjectAsync(id, publish: false, cancellation);
}

/// <summary>Approves published app objects: they become part of the app's base content (base sheets).</summary>
[Cmdlet(VerbsLifecycle.Approve, "QrsAppObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AppObject))]
public sealed class ApproveQrsAppObjectCommand : AppObjectStateCommand
{
    private protected override string Action => "Approve";

    private protected override Task<AppObject> ChangeAsync(QrsClient client, Guid id, CancellationToken cancellation) => client.ApproveAppObjectAsync(id, approve: true, cancellation);
}

/// <summary>Takes the approval from app objects (QRS's unapprove): they stay published, as community content.</summary>
[Cmdlet(VerbsLifecycle.Deny, "QrsAppObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AppObject))]
public sealed class DenyQrsAppObjectCommand : AppObjectStateCommand
{
    private protected override string Action => "Unapprove";

    private protected override Task<AppObject> ChangeAsync(QrsClient client, Guid id, CancellationToken cancellation) => client.ApproveAppObjectAsync(id, approve: false, cancellation);
}
