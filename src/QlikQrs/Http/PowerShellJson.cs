using System;
using System.Collections;
using System.Collections.Generic;
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
    /// QRS date as the text QRS wrote. What cannot be JSON (something that holds itself, a file, a script block, a
    /// connection, a secret) is a QrsBodyInvalid error that starts with <paramref name="what"/> (-Body, -InputObject).
    /// </summary>
    public static byte[] ToJson(object? value, string what = "The body")
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaximumDepth + 2 }))
        {
            new BodyWriter(writer, what, value).Write(value, 0);
        }

        return buffer.ToArray();
    }

    /// <summary>One body's writing: the containers on the way down, so that one that holds itself is named, not recursed into.</summary>
    private sealed class BodyWriter(Utf8JsonWriter writer, string what, object? body)
    {
        private readonly HashSet<object> _path = new(new SameObject());

        public void Write(object? value, int depth)
        {
            if (depth > MaximumDepth)
            {
                throw Refused($"nests deeper than {MaximumDepth} levels");
            }

            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    Container(wrapped, () =>
                    {
                        writer.WriteStartObject();
                        foreach (PSPropertyInfo property in wrapped.Properties)
                        {
                            writer.WritePropertyName(property.Name);
                            Write(Read(property), depth + 1);
                        }

                        writer.WriteEndObject();
                    });
                    return;
                }

                value = wrapped.BaseObject;
            }

            if (NotData(value) is string kind)
            {
                throw Refused($"holds {kind}, which is not data QRS can read");
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
                    double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (double.IsNaN(number) || double.IsInfinity(number))
                    {
                        throw Refused($"holds the number {number.ToString(CultureInfo.InvariantCulture)}, which JSON cannot write");
                    }

                    writer.WriteNumberValue(number);
                    break;
                case decimal amount:
                    writer.WriteNumberValue(amount);
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
                    Container(dictionary, () =>
                    {
                        writer.WriteStartObject();
                        foreach (DictionaryEntry entry in dictionary)
                        {
                            writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                            Write(entry.Value, depth + 1);
                        }

                        writer.WriteEndObject();
                    });
                    break;
                case IEnumerable items:
                    Container(items, () =>
                    {
                        writer.WriteStartArray();
                        foreach (object? item in items)
                        {
                            Write(item, depth + 1);
                        }

                        writer.WriteEndArray();
                    });
                    break;
                default:
                    Container(value, () =>
                    {
                        writer.WriteStartObject();
                        foreach (PSPropertyInfo property in PSObject.AsPSObject(value).Properties)
                        {
                            if (property.IsGettable && property.MemberType is PSMemberTypes.Property or PSMemberTypes.NoteProperty)
                            {
                                writer.WritePropertyName(property.Name);
                                Write(Read(property), depth + 1);
                            }
                        }

                        writer.WriteEndObject();
                    });
                    break;
            }
        }

        private void Container(object container, Action write)
        {
            if (!_path.Add(container))
            {
                throw Refused("holds itself (a hashtable, list or object that contains itself), which JSON cannot write");
            }

            write();
            _path.Remove(container);
        }

        private object? Read(PSPropertyInfo property)
        {
            try
            {
                return property.Value;
            }
            catch (GetValueException exception)
            {
                throw Refused($"has a property '{property.Name}' that cannot be read ({exception.InnerException?.Message ?? exception.Message})");
            }
        }

        private QrsCommandException Refused(string reason) =>
            new("QrsBodyInvalid", ErrorCategory.InvalidArgument, $"{what} {reason}.", body,
                "Give a hashtable, a PSCustomObject, an object a Get-Qrs cmdlet returned, or JSON text.");

        /// <summary>Objects that are not data but things of this session: what they are, in words; null for data.</summary>
        private static string? NotData(object? value) => value switch
        {
            FileSystemInfo => "a file or folder object (to send a file's content, use -InFile)",
            ScriptBlock or Delegate => "a script block",
            Type or System.Reflection.MemberInfo => "a .NET type",
            System.IO.Stream => "a stream",
            System.Security.SecureString or PSCredential or System.Net.NetworkCredential => "a credential, which is never sent in a body",
            System.Security.Cryptography.X509Certificates.X509Certificate or QrsCertificate => "a certificate",
            QrsConnection => "a connection",
            _ => null,
        };

        // ReferenceEqualityComparer is not in .NET Framework.
        private sealed class SameObject : IEqualityComparer<object>
        {
            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object value) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);
        }
    }
}
