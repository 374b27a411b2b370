using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>
/// Gets entities of any QRS family as typed objects, streamed: each reaches the pipeline as soon as it has arrived.
/// </summary>
[Cmdlet(VerbsCommon.Get, "QrsEntity", DefaultParameterSetName = ListSet)]
[OutputType(typeof(QrsEntity), typeof(long))]
public sealed class GetQrsEntityCommand : QrsEntityCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";
    private const string CountSet = "Count";

    /// <summary>The entity family: app, stream, user, reloadtask, tag, custompropertydefinition, app/object, ...</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    /// <summary>One or more ids; the full entity of each.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public Guid[] Id { get; set; } = null!;

    /// <summary>A QRS filter, as QRS reads it: <c>stream.name eq 'Finance' and published eq true</c>.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = CountSet)]
    public string? Filter { get; set; }

    /// <summary>Entities with these names (quoted and escaped for you).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = CountSet)]
    [ArgumentCompleter(typeof(QrsEntityNameCompleter))]
    [ValidateNotNullOrEmpty]
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
    public SwitchParameter Privileges { get; set; }

    /// <summary>Returns how many entities match instead of the entities.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CountSet)]
    public SwitchParameter Count { get; set; }

    protected override void ProcessRecord()
    {
        QrsConnection connection = ResolveConnection();
        QrsEntityFamily family = ResolveFamily(Type, ParameterSetName == CountSet ? QrsOperations.Count : ParameterSetName == ListSet && Full ? QrsOperations.Full : QrsOperations.Get);
        string? filter;
        try
        {
            filter = QrsFilterBuilder.And(Filter, Name is null ? null : QrsFilterBuilder.NameIn(Name), Where is null ? null : QrsFilterBuilder.FromConditions(Where));
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(new ErrorRecord(exception, "QrsInvalidFilter", ErrorCategory.InvalidArgument, Where));
            return;
        }

        WriteVerbose(filter is null ? $"GET /qrs/{family.Name}" : $"GET /qrs/{family.Name} filter: {filter}");
        Run(async cancellation =>
        {
            try
            {
                switch (ParameterSetName)
                {
                    case CountSet:
                        PostObject(await QrsEntityClient.CountAsync(connection, Path(family.Name + "/count", filter, null, false), cancellation).ConfigureAwait(false));
                        break;
                    case IdSet:
                        foreach (Guid id in Id)
                        {
                            await QrsEntityClient.GetAsync(connection, Path($"{family.Name}/{id}", null, null, Privileges), list: false, family.EntityType, PostObject, cancellation).ConfigureAwait(false);
                        }

                        break;
                    default:
                        await QrsEntityClient.GetAsync(connection, Path(Full ? family.Name + "/full" : family.Name, filter, OrderBy, Privileges), list: true,
                            Full ? family.EntityType : family.CondensedType, PostObject, cancellation).ConfigureAwait(false);
                        break;
                }
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.ToErrorRecord());
            }
        });
    }

    private static string Path(string relative, string? filter, string? orderBy, bool privileges)
    {
        var query = new List<string>();
        if (filter is not null)
        {
            query.Add("filter=" + Uri.EscapeDataString(filter));
        }

        if (!string.IsNullOrWhiteSpace(orderBy))
        {
            query.Add("orderby=" + Uri.EscapeDataString(orderBy));
        }

        if (privileges)
        {
            query.Add("privileges=true");
        }

        return "qrs/" + relative + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query));
    }
}
