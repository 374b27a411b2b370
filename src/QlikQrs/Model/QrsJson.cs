using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>How the model meets QRS's JSON: names as QRS spells them (case-insensitive on the way in), nulls left out.</summary>
internal static class QrsJson
{
    /// <summary>
    /// The options of the source-generated context: metadata for every model type was written at build time, and a
    /// type that is not in the context fails instead of falling back to reflection.
    /// </summary>
    public static readonly JsonSerializerOptions Options = QrsJsonContext.Default.Options;
}

/// <summary>The model's System.Text.Json metadata; the generator lists the types in QrsJsonContext.g.cs.</summary>
/// <remarks>
/// Metadata only: reading, the bulk of the work, uses metadata in any mode, and the serialisation fast path would double
/// the generated code for bodies of a few hundred bytes.
/// </remarks>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class QrsJsonContext : JsonSerializerContext
{
}
