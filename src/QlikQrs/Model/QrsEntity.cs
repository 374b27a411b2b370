using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>
/// What every QRS object has in common: properties a newer QRS adds, which this module does not know yet, are kept
/// here and sent back as they came, so that a PUT never drops them; and the connection the object came from.
/// </summary>
public abstract class QrsEntity
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The connection this object was read through, so that a change goes back to the same site.</summary>
    /// <remarks>
    /// Never part of QRS's JSON. [Hidden] keeps it out of Get-Member, Format-List * and Select-Object *, but ConvertTo-Json
    /// reads public properties by reflection and skips only the serializer attribute of its own platform: Newtonsoft's
    /// JsonIgnore on PowerShell 7 (resolved from PowerShell's own Newtonsoft.Json, which the module does not ship) and
    /// ScriptIgnore on Windows PowerShell 5.1.
    /// </remarks>
    [JsonIgnore]
    [Hidden]
#if NETFRAMEWORK
    [System.Web.Script.Serialization.ScriptIgnore]
#else
    [Newtonsoft.Json.JsonIgnore]
#endif
    public QrsConnection? Connection { get; private set; }

    /// <summary>Stamps this object, and every model object nested in it, with the connection it was read through.</summary>
    internal virtual void AttachTo(QrsConnection connection) => Connection = connection;

    private protected static void AttachEach<T>(List<T>? items, QrsConnection connection)
        where T : QrsEntity
    {
        if (items is null)
        {
            return;
        }

        foreach (T item in items)
        {
            item?.AttachTo(connection);
        }
    }

    /// <summary>The entity as QRS's JSON: names as QRS spells them, unknown properties as they came, nulls left out.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), QrsJson.Options);

    /// <summary>Reads QRS's JSON into the model type given (for example [QlikQrs.Model.App]).</summary>
    public static QrsEntity FromJson(string json, System.Type type)
    {
        if (!typeof(QrsEntity).IsAssignableFrom(type))
        {
            throw new System.ArgumentException($"{type.FullName} is not a QRS model type.", nameof(type));
        }

        return (QrsEntity)(JsonSerializer.Deserialize(json, type, QrsJson.Options) ?? throw new JsonException("The JSON is null."));
    }

    public override string ToString()
    {
        var properties = GetType().GetProperties();
        object? name = System.Array.Find(properties, p => p.Name == "Name")?.GetValue(this);
        object? id = System.Array.Find(properties, p => p.Name == "Id")?.GetValue(this);
        return name?.ToString() ?? id?.ToString() ?? GetType().Name;
    }
}
