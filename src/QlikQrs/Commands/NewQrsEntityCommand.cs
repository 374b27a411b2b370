using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using static QlikQrs.Commands.EntityFamilyArguments;

namespace QlikQrs.Commands;

/// <summary>Creates entities of any family from typed objects, hashtables or PSCustomObjects; -Many sends them in one call.</summary>
[Cmdlet(VerbsCommon.New, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(QrsEntity))]
public sealed class NewQrsEntityCommand : QrsChangeCmdlet
{
    private readonly List<byte[]> _many = new();

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    /// <summary>The new entity: @{ name = 'Finance' }, a PSCustomObject, or a typed object.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    public object InputObject { get; set; } = null!;

    /// <summary>Collects every piped entity and creates them with one POST to /many.</summary>
    [Parameter]
    public SwitchParameter Many { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntityFamily family = ResolveFamily(Type, Many ? QrsOperations.CreateMany : QrsOperations.Create);
        object body = InputObject is PSObject { BaseObject: QrsEntity typed } ? typed : InputObject;
        byte[] json = Http.PowerShellJson.ToJson(body, "-InputObject");
        if (Many)
        {
            _many.Add(json);
            return;
        }

        if (await ShouldProcessAsync($"{family.EntityType.Name} {Describe(body)}", "Create").ConfigureAwait(false))
        {
            PostObject(await ConnectionFor(null).Client.CreateAsync(family, json, cancellation).ConfigureAwait(false));
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (!Many || _many.Count == 0)
        {
            return;
        }

        QrsEntityFamily family = ResolveFamily(Type, QrsOperations.CreateMany);
        if (!ShouldProcess($"{_many.Count} {family.EntityType.Name} entities", "Create"))
        {
            return;
        }

        byte[] bodies = JsonArray(_many);
        Start(async cancellation =>
        {
            await foreach (QrsEntity created in ConnectionFor(null).Client.CreateManyAsync(family, bodies, cancellation).ConfigureAwait(false))
            {
                PostObject(created);
            }
        });
        base.EndProcessing();
    }

    /// <summary>The bodies, each already JSON, as one JSON array.</summary>
    private static byte[] JsonArray(List<byte[]> items)
    {
        using var array = new System.IO.MemoryStream();
        array.WriteByte((byte)'[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                array.WriteByte((byte)',');
            }

            array.Write(items[i], 0, items[i].Length);
        }

        array.WriteByte((byte)']');
        return array.ToArray();
    }

    /// <summary>How the new entity is named in -WhatIf and -Confirm: its name, from a hashtable, an object or a typed entity.</summary>
    private static string Describe(object body)
    {
        object? name = body switch
        {
            IDictionary dictionary => dictionary["name"] ?? dictionary["Name"],
            IQrsNamedEntity named => named.Name,
            _ => PSObject.AsPSObject(body).Properties["name"]?.Value,
        };
        return name is null ? "(no name)" : $"'{name}'";
    }
}
