using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Http;
using System.Text.Json;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>Creates entities of any family from typed objects, hashtables or PSCustomObjects; -Many sends them in one call.</summary>
[Cmdlet(VerbsCommon.New, "QrsEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(QrsEntity))]
public sealed class NewQrsEntityCommand : QrsEntityCmdlet
{
    private readonly List<object> _many = new();

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

    protected override void ProcessRecord()
    {
        QrsEntityFamily family = ResolveFamily(Type, Many ? QrsOperations.CreateMany : QrsOperations.Create);
        object body = InputObject is PSObject wrapped && wrapped.BaseObject is QrsEntity typed ? typed : InputObject;
        if (Many)
        {
            _many.Add(body);
            return;
        }

        if (ShouldProcess($"{family.EntityType.Name} {Describe(body)}", "Create"))
        {
            Send(family, $"qrs/{family.Name}", Serialise(body), family.EntityType, single: true);
        }
    }

    protected override void EndProcessing()
    {
        if (!Many || _many.Count == 0)
        {
            return;
        }

        QrsEntityFamily family = ResolveFamily(Type, QrsOperations.CreateMany);
        if (ShouldProcess($"{_many.Count} {family.EntityType.Name} entities", "Create"))
        {
            using var buffer = new System.IO.MemoryStream();
            buffer.WriteByte((byte)'[');
            for (int i = 0; i < _many.Count; i++)
            {
                if (i > 0)
                {
                    buffer.WriteByte((byte)',');
                }

                byte[] item = Serialise(_many[i]);
                buffer.Write(item, 0, item.Length);
            }

            buffer.WriteByte((byte)']');
            Send(family, $"qrs/{family.Name}/many", buffer.ToArray(), typeof(List<>).MakeGenericType(family.EntityType), single: false);
        }
    }

    private void Send(QrsEntityFamily family, string path, byte[] body, System.Type answer, bool single)
    {
        QrsConnection connection = ResolveConnection();
        Run(async cancellation =>
        {
            try
            {
                object? created = await QrsEntityClient.SendAsync(connection, HttpMethod.Post, path, body, answer, cancellation).ConfigureAwait(false);
                if (single)
                {
                    PostObject(created);
                }
                else if (created is System.Collections.IEnumerable items)
                {
                    foreach (object item in items)
                    {
                        PostObject(item);
                    }
                }
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.ToErrorRecord());
            }
        });
    }

    private static byte[] Serialise(object body) =>
        body is QrsEntity entity ? JsonSerializer.SerializeToUtf8Bytes(entity, entity.GetType(), QrsJson.Options) : PowerShellJson.ToJson(body);

    private static string Describe(object body) => PSObject.AsPSObject(body).Properties["name"]?.Value is object name ? $"'{name}'" : string.Empty;
}
