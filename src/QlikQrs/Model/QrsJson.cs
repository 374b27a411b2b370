using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>How the model meets QRS's JSON: names as QRS spells them (case-insensitive on the way in), nulls kept.</summary>
internal static class QrsJson
{
    // Immutable once built; shared so that System.Text.Json's metadata cache is built once per type.
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
