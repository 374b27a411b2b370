using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets streams by name (wildcards allowed), id or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsStream", DefaultParameterSetName = ListSet)]
[OutputType(typeof(Model.Stream))]
public sealed class GetQrsStreamCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>Streams with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Streams given by object (Stream, StreamCondensed, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public StreamIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        await foreach (Model.Stream stream in QrsFinder.FindAsync<Model.Stream>(ConnectionFor(null).Client, Name, Id, Filter, "name", cancellation).ConfigureAwait(false))
        {
            PostObject(stream);
        }
    }
}

/// <summary>Creates streams.</summary>
[Cmdlet(VerbsCommon.New, "QrsStream", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Model.Stream))]
public sealed class NewQrsStreamCommand : QrsChangeCmdlet
{
    /// <summary>The new stream's name; several from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The owner: DIR\userid; the connection's user when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string name = Name;
        string? owner = Owner;
        QrsClient client = ConnectionFor(null).Client;
        UserCondensed? user = owner is null ? null : await UserFilter.FindOneAsync(client, owner, cancellation).ConfigureAwait(false);
        if (await ShouldProcessAsync($"the stream '{name}'", "Create").ConfigureAwait(false))
        {
            var stream = new Model.Stream { Name = name, Owner = user };
            PostObject(await client.CreateAsync(QrsEntityFamilies.OfType(typeof(Model.Stream))!, stream, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Renames a stream or gives it another owner.</summary>
[Cmdlet(VerbsCommon.Set, "QrsStream", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Model.Stream))]
public sealed class SetQrsStreamCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [SupportsWildcards]
    public StreamIdentity Stream { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The new owner: DIR\userid.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>Writes the changed stream to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        StreamIdentity identity = Stream;
        string? name = Name;
        string? owner = Owner;
        bool passThru = PassThru.IsPresent;
        UserCondensed? user = owner is null ? null : await UserFilter.FindOneAsync(ConnectionFor(identity).Client, owner, cancellation).ConfigureAwait(false);
        string?[] changes =
        {
            name is null ? null : $"name to '{name}'",
            user is null ? null : $@"owner to {user.UserDirectory}\{user.UserId}",
        };
        await UpdateEachAsync(identity, changes, "-Name or -Owner", stream =>
        {
            stream.Name = name ?? stream.Name;
            stream.Owner = user ?? stream.Owner;
        }, passThru, cancellation).ConfigureAwait(false);
    }
}

/// <summary>Deletes streams. ConfirmImpact High: asks unless -Confirm:$false.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsStream", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Stream")]
[OutputType(typeof(void))]
public sealed class RemoveQrsStreamCommand : QrsBulkRemoveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Stream")]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [SupportsWildcards]
    public StreamIdentity Stream { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ParameterSetName == FilterSet
            ? RemoveMatchingAsync(new[] { QrsEntityFamilies.OfType(typeof(Model.Stream))! }, "stream", cancellation)
            : ForEachAsync(Stream, "Remove", (client, stream) => client.DeleteAsync(QrsEntityFamily.Of(stream), stream.Id!.Value, cancellation), cancellation);
}
