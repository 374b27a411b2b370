using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using static QlikQrs.Commands.EntityFamilyArguments;

namespace QlikQrs.Commands;

/// <summary>
/// Saves a changed entity (PUT of the whole entity, with the modifiedDate it was read with, so a change made by
/// someone else in between is a QrsConflict, not lost). A condensed entity, or -Property, is applied to a full copy
/// read just before the PUT.
/// </summary>
[Cmdlet(VerbsCommon.Set, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsEntity))]
public sealed class SetQrsEntityCommand : QrsChangeCmdlet
{
    /// <summary>The entity, as Get-QrsEntity returned it and as changed since.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    /// <summary>Changes by QRS property name, applied to a copy read again just before the PUT: @{ name = 'New name' }.</summary>
    [Parameter]
    public IDictionary? Property { get; set; }

    /// <summary>Writes the saved entity to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        IDictionary? property = Property;
        bool passThru = PassThru;
        if (property is not null && property.Keys.Cast<object?>().Any(k => string.IsNullOrWhiteSpace(Convert.ToString(k, CultureInfo.InvariantCulture))))
        {
            throw new QrsCommandException("QrsBodyInvalid", ErrorCategory.InvalidArgument, "-Property has an empty property name.", property,
                "Name each property as QRS does: @{ name = 'New name' }.");
        }
        QrsEntityFamily family = FamilyOf(entity, QrsOperations.Update);
        Guid id = IdOf(entity);
        QrsClient client = ConnectionFor(entity).Client;
        string action = property is null ? "Save" : "Change " + string.Join(", ", property.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)));
        if (!await ShouldProcessAsync($"{family.EntityType.Name} '{entity}' ({id})", action).ConfigureAwait(false))
        {
            return;
        }

        object body = entity;
        if (property is not null || entity.GetType() != family.EntityType)
        {
            QrsEntity fresh = await client.GetAsync(family, id, cancellation: cancellation).ConfigureAwait(false);
            body = Merge(fresh, entity.GetType() == family.EntityType ? null : entity, property);
        }

        QrsEntity saved;
        try
        {
            saved = await client.UpdateAsync(family, id, body, cancellation).ConfigureAwait(false);
        }
        catch (QrsRequestException exception)
        {
            throw exception.About(entity);
        }

        if (passThru)
        {
            PostObject(saved);
        }
    }

    /// <summary>The fresh full entity, with what a condensed copy says and then -Property's changes laid over it.</summary>
    private static byte[] Merge(QrsEntity fresh, QrsEntity? condensed, IDictionary? property)
    {
        JsonObject merged = JsonSerializer.SerializeToNode(fresh, fresh.GetType(), QrsJson.Options)!.AsObject();
        if (condensed is not null)
        {
            foreach (KeyValuePair<string, JsonNode?> known in JsonSerializer.SerializeToNode(condensed, condensed.GetType(), QrsJson.Options)!.AsObject().ToList())
            {
                if (known.Value is not null && known.Key != "privileges")
                {
                    merged[known.Key] = known.Value.DeepClone();
                }
            }
        }

        if (property is not null)
        {
            foreach (DictionaryEntry change in property)
            {
                string name = Convert.ToString(change.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                merged[name] = JsonNode.Parse(PowerShellJson.ToJson(change.Value, $"-Property '{name}'"));
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(merged.ToJsonString());
    }
}
