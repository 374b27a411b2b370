using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QlikQrs.Model;

/// <summary>
/// A QRS date as QRS wrote it ("2018-12-17T15:58:21.204Z"): the text is kept to the character and sent back so, and
/// <see cref="Value"/> gives the moment as a UTC DateTime. <see cref="IsNever"/> marks QRS's "never", 1753-01-01.
/// Compares with DateTime (a local or unspecified DateTime is taken as local time, as Get-Date gives it), so that
/// <c>$app.LastReloadTime -lt (Get-Date).AddDays(-90)</c> and <c>Sort-Object LastReloadTime</c> work.
/// </summary>
[JsonConverter(typeof(QrsDateTimeConverter))]
public readonly struct QrsDateTime : IEquatable<QrsDateTime>, IComparable<QrsDateTime>, IEquatable<DateTime>, IComparable<DateTime>, IComparable
{
    public const string NeverText = "1753-01-01T00:00:00.000Z";

    private readonly string? _text;

    public QrsDateTime(string text)
    {
        _text = text ?? throw new ArgumentNullException(nameof(text));
    }

    public QrsDateTime(DateTime value)
        : this(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
    {
    }

    /// <summary>The date exactly as QRS wrote it; what JSON bodies and filters send. A default QrsDateTime is never.</summary>
    public string Text => _text ?? NeverText;

    /// <summary>The moment in UTC.</summary>
    public DateTime Value => DateTime.Parse(Text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The moment in this machine's time zone, as the QMC shows it.</summary>
    public DateTime LocalTime => Value.ToLocalTime();

    public bool IsNever => Value.Year <= 1753;

    public static implicit operator DateTime(QrsDateTime date) => date.Value;

    /// <summary>A DateTime to QRS's text (milliseconds kept, finer ticks dropped); an unspecified kind is local time.</summary>
    public static explicit operator QrsDateTime(DateTime date) => new(date);

    public static bool operator ==(QrsDateTime left, QrsDateTime right) => left.Equals(right);

    public static bool operator !=(QrsDateTime left, QrsDateTime right) => !left.Equals(right);

    public static bool operator <(QrsDateTime left, QrsDateTime right) => left.CompareTo(right) < 0;

    public static bool operator >(QrsDateTime left, QrsDateTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(QrsDateTime left, QrsDateTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(QrsDateTime left, QrsDateTime right) => left.CompareTo(right) >= 0;

    public static bool operator ==(QrsDateTime left, DateTime right) => left.Equals(right);

    public static bool operator !=(QrsDateTime left, DateTime right) => !left.Equals(right);

    public static bool operator <(QrsDateTime left, DateTime right) => left.CompareTo(right) < 0;

    public static bool operator >(QrsDateTime left, DateTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(QrsDateTime left, DateTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(QrsDateTime left, DateTime right) => left.CompareTo(right) >= 0;

    public static bool operator ==(DateTime left, QrsDateTime right) => right.Equals(left);

    public static bool operator !=(DateTime left, QrsDateTime right) => !right.Equals(left);

    public static bool operator <(DateTime left, QrsDateTime right) => right.CompareTo(left) > 0;

    public static bool operator >(DateTime left, QrsDateTime right) => right.CompareTo(left) < 0;

    public static bool operator <=(DateTime left, QrsDateTime right) => right.CompareTo(left) >= 0;

    public static bool operator >=(DateTime left, QrsDateTime right) => right.CompareTo(left) <= 0;

    public bool Equals(QrsDateTime other) => Value == other.Value;

    public bool Equals(DateTime other) => Value == other.ToUniversalTime();

    public override bool Equals(object? obj) => obj is QrsDateTime other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(QrsDateTime other) => Value.CompareTo(other.Value);

    public int CompareTo(DateTime other) => Value.CompareTo(other.ToUniversalTime());

    /// <summary>PowerShell's -lt, -gt and Sort-Object compare through this.</summary>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        QrsDateTime other => CompareTo(other),
        DateTime other => CompareTo(other),
        DateTimeOffset other => Value.CompareTo(other.UtcDateTime),
        _ => throw new ArgumentException($"A QRS date compares with a date, not with {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>
    /// "never" for QRS's never; otherwise QRS's own text, in UTC to the millisecond. Not local time: PowerShell shows and
    /// interpolates a value through the same ToString, and scripts put <c>"$($app.ModifiedDate)"</c> into filters, where
    /// a local time without milliseconds would silently select other entities. Views show <see cref="LocalTime"/>.
    /// </summary>
    public override string ToString() => IsNever ? "never" : Text;
}

internal sealed class QrsDateTimeConverter : JsonConverter<QrsDateTime>
{
    public override QrsDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, QrsDateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
