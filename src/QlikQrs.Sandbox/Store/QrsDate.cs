using System;
using System.Globalization;

namespace QlikQrs.Sandbox.Store;

/// <summary>Dates as QRS writes them: UTC, three fractional digits; "never" is 1753-01-01.</summary>
public static class QrsDate
{
    public const string Never = "1753-01-01T00:00:00.000Z";

    public static string Format(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Now() => Format(DateTime.UtcNow);

    public static bool TryParse(string? text, out DateTime utc) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);
}
