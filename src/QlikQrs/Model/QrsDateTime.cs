using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>
/// A QRS date as QRS wrote it ("2018-12-17T15:58:21.204Z"): the text is kept to the character and sent back so, and
/// <see cref="Value"/> gives the moment as a UTC DateTime. <see cref="IsNever"/> marks QRS's "never", 1753-01-01.
/// </summary>
[JsonConverter(typeof(QrsDateTimeConverter))]
public readonly struct QrsDateTime : IEquatable<QrsDateTime>, IComparable<QrsDateTime>
{
    public const string NeverText = "1753-01-01T00:00:00.000Z";

    public QrsDateTime(string text)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    public QrsDateTime(DateTime value)
        : this(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
    {
    }

    /// <summary>The date exactly as QRS wrote it.</summary>
    public string Text { get; }

    /// <summary>The moment in UTC.</summary>
    public DateTime Value => DateTime.Parse(Text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public bool IsNever => Value.Year <= 1753;

    public static implicit operator DateTime(QrsDateTime date) => date.Value;

    public static bool operator ==(QrsDateTime left, QrsDateTime right) => left.Equals(right);

    public static bool operator !=(QrsDateTime left, QrsDateTime right) => !left.Equals(right);

    public bool Equals(QrsDateTime other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is QrsDateTime other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(QrsDateTime other) => Value.CompareTo(other.Value);

    public override string ToString() => Text;
}

internal sealed class QrsDateTimeConverter : JsonConverter<QrsDateTime>
{
    public override QrsDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, QrsDateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
