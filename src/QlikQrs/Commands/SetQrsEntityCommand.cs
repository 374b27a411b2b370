using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>
/// Saves a changed entity (PUT of the whole entity, with the modifiedDate it was read with, so a change made by
/// someone else in between is a QrsConflict, not lost). -Property merges changes into a fresh copy first.
/// </summary>
[Cmdlet(VerbsCommon.Set, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsEntity))]
public sealed class SetQrsEntityCommand : QrsEntityCmdlet
{
    /// <summary>The entity, as Get-QrsEntity returned it (full) and as changed since.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    /// <summary>Changes by QRS property name, applied to a copy read again just before the PUT: @{ name = 'New name' }.</summary>
    [Parameter]
    public IDictionary? Property { get; set; }

    /// <summary>Writes the saved entity to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        QrsConnection connection = ResolveConnection();
        QrsEntityFamily family = FamilyOf(InputObject, QrsOperations.Update);
        Guid id = IdOf(InputObject);
        if (!ShouldProcess($"{family.EntityType.Name} '{InputObject}' ({id})", Property is null ? "Save" : "Change " + string.Join(", ", KeysOf(Property))))
        {
            return;
        }

        Run(async cancellation =>
        {
            try
            {
                object body = InputObject;
                if (Property is not null)
                {
                    object? fresh = null;
                    await QrsEntityClient.GetAsync(connection, $"qrs/{family.Name}/{id}", list: false, family.EntityType, e => fresh = e, cancellation).ConfigureAwait(false);
                    JsonObject merged = JsonSerializer.SerializeToNode(fresh, family.EntityType, QrsJson.Options)!.AsObject();
                    foreach (DictionaryEntry change in Property)
                    {
                        merged[Convert.ToString(change.Key, CultureInfo.InvariantCulture)!] = JsonNode.Parse(PowerShellJson.ToJson(change.Value));
                    }

                    body = System.Text.Encoding.UTF8.GetBytes(merged.ToJsonString());
                }

                object? saved = await QrsEntityClient.SendAsync(connection, HttpMethod.Put, $"qrs/{family.Name}/{id}", body, family.EntityType, cancellation).ConfigureAwait(false);
                if (PassThru && saved is not null)
                {
                    PostObject(saved);
                }
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.ToErrorRecord());
            }
        });
    }

    private static System.Collections.Generic.IEnumerable<string> KeysOf(IDictionary property)
    {
        foreach (object key in property.Keys)
        {
            yield return Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }
}
