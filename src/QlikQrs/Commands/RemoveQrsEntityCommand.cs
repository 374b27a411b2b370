using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using static QlikQrs.Commands.EntityFamilyArguments;

namespace QlikQrs.Commands;

/// <summary>Deletes entities: piped objects, ids of a -Type, or every one of a -Type that fits a -Filter (one QRS selection). -WhatIf and -Confirm name each one, or the count.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(void))]
public sealed class RemoveQrsEntityCommand : QrsBulkRemoveCmdlet
{
    private const string ObjectSet = "Object";
    private const string IdSet = "Id";

    /// <summary>Entities from Get-QrsEntity (full or condensed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 0)]
    [Parameter(Mandatory = true, ParameterSetName = FilterSet, Position = 0)]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 1, ValueFromPipeline = true)]
    public Guid[] Id { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == FilterSet)
        {
            QrsEntityFamily selected = ResolveFamily(Type, QrsOperations.Delete);
            await RemoveMatchingAsync(new[] { selected }, QrsIdentity.WordsOf(selected.EntityType.Name), cancellation).ConfigureAwait(false);
            return;
        }

        bool byObject = ParameterSetName == ObjectSet;
        QrsEntity? entity = byObject ? InputObject : null;
        QrsEntityFamily family = entity is not null ? FamilyOf(entity, QrsOperations.Delete) : ResolveFamily(Type, QrsOperations.Delete);
        Guid[] ids = entity is not null ? new[] { IdOf(entity) } : Id;
        QrsClient client = ConnectionFor(entity).Client;
        foreach (Guid id in ids)
        {
            string target = entity is not null ? $"{family.EntityType.Name} '{entity}' ({id})" : $"{family.EntityType.Name} {id}";
            if (!await ShouldProcessAsync(target, "Remove").ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await client.DeleteAsync(family, id, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                throw exception.About((object?)entity ?? id);
            }
        }
    }
}
