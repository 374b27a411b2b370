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

    public override string ToString()
    {
        var properties = GetType().GetProperties();
        object? name = System.Array.Find(properties, p => p.Name == "Name")?.GetValue(this);
        object? id = System.Array.Find(properties, p => p.Name == "Id")?.GetValue(this);
        return name?.ToString() ?? id?.ToString() ?? GetType().Name;
    }
}
