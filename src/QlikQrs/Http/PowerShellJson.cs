using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using QlikQrs.Model;

namespace QlikQrs.Http;

/// <summary>Between QRS's JSON and PowerShell objects, with System.Text.Json; dates and ids stay the text QRS wrote.</summary>
internal static class PowerShellJson
{
    private const int MaximumDepth = 64;

    public static object? ToPowerShell(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => ToArray(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt32(out int i) ? i : element.TryGetInt64(out long l) ? l : element.TryGetDecimal(out decimal d) ? d : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            result.Properties.Add(new PSNoteProperty(property.Name, ToPowerShell(property.Value)));
        }

        return result;
    }

    private static object?[] ToArray(JsonElement element)
    {
        var items = new object?[element.GetArrayLength()];
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            items[index++] = ToPowerShell(item);
        }

        return items;
    }

    /// <summary>
    /// A request body: a string goes as given; hashtables, PSCustomObjects, .NET objects and lists become JSON. A typed
    /// entity, at any depth, is written as the model writes it (QRS's names, no nulls, unknown properties kept), and a
    /// QRS date as the text QRS wrote.
    /// </summary>
    public static byte[] ToJson(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value, 0);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaximumDepth)
        {
            throw new ArgumentException($"The body nests deeper than {MaximumDepth} levels; is it self-referencing?");
        }

        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject)
            {
                writer.WriteStartObject();
                foreach (PSPropertyInfo property in wrapped.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            }

            value = wrapped.BaseObject;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case Enum enumeration:
                writer.WriteNumberValue(Convert.ToInt64(enumeration, CultureInfo.InvariantCulture));
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTime date:
                writer.WriteStringValue(date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset offset:
                writer.WriteStringValue(offset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case Guid guid:
                writer.WriteStringValue(guid.ToString());
                break;
            case QrsDateTime qrsDate:
                writer.WriteStringValue(qrsDate.Text);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case QrsEntity entity:
                JsonSerializer.Serialize(writer, entity, entity.GetType(), QrsJson.Options);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (PSPropertyInfo property in PSObject.AsPSObject(value).Properties)
                {
                    if (property.IsGettable && property.MemberType is PSMemberTypes.Property or PSMemberTypes.NoteProperty)
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value, depth + 1);
                    }
                }

                writer.WriteEndObject();
                break;
        }
    }
}
