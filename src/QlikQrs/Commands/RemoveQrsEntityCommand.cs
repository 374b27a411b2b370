using System;
using System.Management.Automation;
using System.Net.Http;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>Deletes entities: piped objects, or ids of a -Type. -WhatIf and -Confirm name each one.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(void))]
public sealed class RemoveQrsEntityCommand : QrsEntityCmdlet
{
    private const string ObjectSet = "Object";
    private const string IdSet = "Id";

    /// <summary>Entities from Get-QrsEntity (full or condensed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 0)]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public Guid[] Id { get; set; } = null!;

    protected override void ProcessRecord()
    {
        QrsConnection connection = ResolveConnection();
        QrsEntityFamily family = ParameterSetName == ObjectSet ? FamilyOf(InputObject, QrsOperations.Delete) : ResolveFamily(Type, QrsOperations.Delete);
        Guid[] ids = ParameterSetName == ObjectSet ? new[] { IdOf(InputObject) } : Id;
        foreach (Guid id in ids)
        {
            string target = ParameterSetName == ObjectSet ? $"{family.EntityType.Name} '{InputObject}' ({id})" : $"{family.EntityType.Name} {id}";
            if (!ShouldProcess(target, "Remove"))
            {
                continue;
            }

            Run(async cancellation =>
            {
                try
                {
                    await QrsEntityClient.SendAsync(connection, HttpMethod.Delete, $"qrs/{family.Name}/{id}", null, typeof(object), cancellation).ConfigureAwait(false);
                }
                catch (QrsRequestException exception)
                {
                    PostError(exception.ToErrorRecord());
                }
            });
        }
    }
}
