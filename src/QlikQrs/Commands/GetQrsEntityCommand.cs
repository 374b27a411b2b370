using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using static QlikQrs.Commands.EntityFamilyArguments;

namespace QlikQrs.Commands;

/// <summary>
/// Gets entities of any QRS family as typed objects, streamed: each reaches the pipeline as soon as it has arrived.
/// </summary>
[Cmdlet(VerbsCommon.Get, "QrsEntity", DefaultParameterSetName = ListSet)]
[OutputType(typeof(QrsEntity), ParameterSetName = new[] { ListSet, IdSet, ObjectSet })]
[OutputType(typeof(long), ParameterSetName = new[] { CountSet })]
public sealed class GetQrsEntityCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";
    private const string ObjectSet = "Object";
    private const string CountSet = "Count";

    private static readonly System.Text.RegularExpressions.Regex s_order = new(@"^\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\s+(asc|desc))?\s*$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The entity family: app, stream, user, reloadtask, tag, custompropertydefinition, app/object, ...</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    /// <summary>One or more ids; the full entity of each.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true)]
    public Guid[] Id { get; set; } = null!;

    /// <summary>Entities of the -Type's family (full or condensed), read again in full.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    /// <summary>A QRS filter, as QRS reads it: <c>stream.name eq 'Finance' and published eq true</c>.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = CountSet)]
    public string? Filter { get; set; }

    /// <summary>Entities with these names; * and ? are wildcards.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = CountSet)]
    [ArgumentCompleter(typeof(QrsEntityNameCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Conditions as values: @{ 'stream.name' = "O'Brien"; published = $true } (each property eq its value).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = CountSet)]
    public IDictionary? Where { get; set; }

    /// <summary>The order: <c>name</c>, <c>createdDate desc</c>.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public string? OrderBy { get; set; }

    /// <summary>The full entities rather than the condensed ones (the default with -Id).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Full { get; set; }

    /// <summary>Includes the privileges the user has on each entity.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    public SwitchParameter Privileges { get; set; }

    /// <summary>Returns how many entities match instead of the entities.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CountSet)]
    public SwitchParameter Count { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsOperations needed = ParameterSetName switch
        {
            CountSet => QrsOperations.Count,
            ListSet when Full => QrsOperations.Full,
            ListSet => QrsOperations.List,
            _ => QrsOperations.Get,
        };
        QrsEntityFamily family = ResolveFamily(Type, needed);
        bool privileges = Privileges;
        if (OrderBy is not null && !s_order.IsMatch(OrderBy))
        {
            throw new QrsCommandException("QrsInvalidOrderBy", ErrorCategory.InvalidArgument, $"-OrderBy '{Http.QrsUrl.Shown(OrderBy)}' is not an order QRS reads.", OrderBy,
                "Give a property path, then asc or desc if you like: name, or createdDate desc.");
        }

        if (ParameterSetName == IdSet && Id.Contains(Guid.Empty))
        {
            throw new QrsCommandException("QrsInvalidId", ErrorCategory.InvalidArgument, $"-Id {Guid.Empty} is the empty id, which no entity has.", Guid.Empty,
                "Give the id of an entity, as Get-QrsEntity shows it; $null given as an id becomes the empty id.");
        }

        switch (ParameterSetName)
        {
            case IdSet:
                QrsClient client = ConnectionFor(null).Client;
                foreach (Guid id in Id)
                {
                    PostObject(await client.GetAsync(family, id, privileges, cancellation).ConfigureAwait(false));
                }

                break;
            case ObjectSet:
                QrsEntity given = InputObject;
                if (QrsEntityFamilies.OfType(given.GetType()) != family)
                {
                    throw new QrsCommandException("QrsWrongEntityType", ErrorCategory.InvalidArgument,
                        $"'{given}' is a {given.GetType().Name}, not of the family '{family.Name}'.", given, $"Pipe {family.Name} entities, or give -Type {QrsEntityFamilies.OfType(given.GetType())?.Name}.");
                }

                PostObject(await ConnectionFor(given).Client.GetAsync(family, IdOf(given), privileges, cancellation).ConfigureAwait(false));
                break;
            default:
                await ListAsync(family, cancellation).ConfigureAwait(false);
                break;
        }
    }

    private async Task ListAsync(QrsEntityFamily family, CancellationToken cancellation)
    {
        QrsNamePattern[] patterns = (Name ?? Array.Empty<string>()).Select(n => new QrsNamePattern(n)).ToArray();
        (string? nameFilter, bool exact) = patterns.Length == 0 ? (null, true) : QrsNamePattern.ServerFilter(patterns);
        string? filter = QrsFilterBuilder.And(Filter, nameFilter, Where is null ? null : Conditions(Where));
        bool count = ParameterSetName == CountSet;
        bool full = Full;
        QrsClient client = ConnectionFor(null).Client;
        PostVerbose($"GET /qrs/{family.Name}{(count ? "/count" : full ? "/full" : string.Empty)}{(filter is null ? string.Empty : " filter: " + filter)}");
        if (count && exact)
        {
            PostObject(await client.CountAsync(family, filter, cancellation).ConfigureAwait(false));
            return;
        }

        long matched = 0;
        await foreach (QrsEntity entity in client.ListAsync(family, full && !count, new QrsQuery(filter, OrderBy, Privileges), cancellation).ConfigureAwait(false))
        {
            if (exact || patterns.Any(p => p.IsMatch((entity as IQrsNamedEntity)?.Name)))
            {
                matched++;
                if (!count)
                {
                    PostObject(entity);
                }
            }
        }

        if (count)
        {
            PostObject(matched);
        }
    }
}
