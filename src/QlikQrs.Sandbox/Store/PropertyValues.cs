using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Schema;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// Whether a value sent for a plain property (text, GUID, date, number, flag, object) is of the kind the schema
/// gives it. A value of the wrong kind would be stored as sent and break every later list, filter and sort that
/// reads it as its kind, so it is refused before anything is stored.
/// </summary>
public static class PropertyValues
{
    private const int Shown = 60;

    /// <summary>What the value should have been, in words, or null when it is of the right kind.</summary>
    public static string? Mismatch(PropertyShape property, JsonNode value)
    {
        JsonValueKind kind = value.GetValueKind();
        return property.Type switch
        {
            "string" when kind != JsonValueKind.String => "text",
            "string" when property.IsGuid && !Guid.TryParse(value.GetValue<string>(), out _) => "a GUID",
            "string" when property.IsDate && !QrsDate.TryParse(value.GetValue<string>(), out _) => $"a date such as {QrsDate.Never}",
            "integer" when !IsWhole(value, kind, property.Format == "int32" ? int.MinValue : long.MinValue, property.Format == "int32" ? int.MaxValue : long.MaxValue) =>
                property.Format == "int32" ? "a whole number that fits 32 bits" : "a whole number",
            "number" when kind != JsonValueKind.Number => "a number",
            "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False) => "true or false",
            "object" when kind != JsonValueKind.Object => "an object",
            "array" when kind != JsonValueKind.Array => "an array",
            _ => null,
        };
    }

    /// <summary>A value as a message names it: its kind, and what it holds when that is short.</summary>
    public static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => $"the text '{Shorten(value.GetValue<string>())}'",
            JsonValueKind.Number => $"the number {Shorten(value.ToJsonString())}",
            _ => value.ToJsonString(),
        },
    };

    private static bool IsWhole(JsonNode value, JsonValueKind kind, long minimum, long maximum) =>
        kind == JsonValueKind.Number &&
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number) &&
        number == decimal.Truncate(number) && number >= minimum && number <= maximum;

    private static string Shorten(string text) => text.Length <= Shown ? text : text.Substring(0, Shown) + "...";
}
