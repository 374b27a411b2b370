using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>
/// What every QRS object has in common: properties a newer QRS adds, which this module does not know yet, are kept
/// here and sent back as they came, so that a PUT never drops them.
/// </summary>
public abstract class QrsEntity
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The connection this object was read through; cmdlets given the object go back through it.</summary>
    [JsonIgnore]
    public QrsConnection? Connection { get; internal set; }

    /// <summary>Marks this object, and the model objects inside it, as read through <paramref name="connection"/>.</summary>
    internal virtual void AttachTo(QrsConnection connection) => Connection = connection;

    /// <summary>The entity as QRS's JSON, every property included (unknown ones as they came).</summary>
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
