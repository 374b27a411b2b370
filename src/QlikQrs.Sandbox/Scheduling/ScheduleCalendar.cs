using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Scheduling;

/// <summary>
/// When a schema event (a task's schedule) fires next, as QRS models a schedule:
/// <list type="bullet">
/// <item><c>incrementOption</c>: 0 once, 1 hourly, 2 daily, 3 weekly, 4 monthly, 5 custom;</item>
/// <item><c>incrementDescription</c>: "minutes hours days weeks" between runs from <c>startDate</c> ("0 0 1 0" daily,
/// "30 0 0 0" every 30 minutes); weekly and monthly schedules step a day at a time through their filter;</item>
/// <item><c>schemaFilterDescription</c>: "* * - weekdays weeks monthdays * *", weekdays 0 (Sunday) to 6 and the
/// week interval for weekly schedules ("* * - 1,3 1 * * *"), days of the month for monthly ones ("* * - * * 1,15 * *");</item>
/// <item><c>timeZone</c> and <c>daylightSavingTime</c>: the schedule keeps its wall-clock time in that zone (0 observe
/// daylight saving time), or a fixed offset all year (1 permanent standard time, 2 permanent daylight saving time);</item>
/// <item>no run after <c>expirationDate</c>.</item>
/// </list>
/// </summary>
public static class ScheduleCalendar
{
    private const int Once = 0;

    /// <summary>How many steps to look ahead for a time the filter lets through: over a year of daily steps.</summary>
    private const int MaximumSteps = 1000;

    /// <summary>The first time after <paramref name="afterUtc"/> the schedule fires, or null when it never does again.</summary>
    public static DateTime? Next(JsonElement schemaEvent, DateTime afterUtc)
    {
        if (!QrsDate.TryParse(Text(schemaEvent, "startDate"), out DateTime start))
        {
            return null;
        }

        DateTime expiration = QrsDate.TryParse(Text(schemaEvent, "expirationDate"), out DateTime expires) && expires.Year > 1753 ? expires : DateTime.MaxValue;
        if (Number(schemaEvent, "incrementOption") == Once)
        {
            return start > afterUtc && start <= expiration ? start : null;
        }

        var clock = new WallClock(Text(schemaEvent, "timeZone"), Number(schemaEvent, "daylightSavingTime"));
        TimeSpan step = Increment(Text(schemaEvent, "incrementDescription"));
        string[] filter = (schemaEvent.TryGetProperty("schemaFilterDescription", out JsonElement filters) && filters.ValueKind == JsonValueKind.Array
            ? filters.EnumerateArray().Select(f => f.GetString()).FirstOrDefault() ?? string.Empty
            : string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

        DateTime localStart = clock.ToLocal(start);
        DateTime localAfter = clock.ToLocal(afterUtc);
        long first = localAfter <= localStart ? 0 : (localAfter - localStart).Ticks / step.Ticks;
        for (long k = first; k < first + MaximumSteps; k++)
        {
            DateTime local = localStart + TimeSpan.FromTicks(step.Ticks * k);
            DateTime utc = clock.ToUtc(local);
            if (utc > expiration)
            {
                return null;
            }

            if (utc > afterUtc && Matches(filter, local, localStart))
            {
                return utc;
            }
        }

        return null;
    }

    /// <summary>"minutes hours days weeks"; a description with no interval steps a day, as weekly and monthly schedules do.</summary>
    private static TimeSpan Increment(string? description)
    {
        int[] parts = (description ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)
            .Concat(Enumerable.Repeat(0, 4))
            .Take(4)
            .ToArray();
        TimeSpan step = TimeSpan.FromMinutes(parts[0]) + TimeSpan.FromHours(parts[1]) + TimeSpan.FromDays(parts[2]) + TimeSpan.FromDays(7 * parts[3]);
        return step > TimeSpan.Zero ? step : TimeSpan.FromDays(1);
    }

    private static bool Matches(string[] filter, DateTime local, DateTime localStart)
    {
        string weekdays = filter.Length > 3 ? filter[3] : "*";
        string weeks = filter.Length > 4 ? filter[4] : "*";
        string monthDays = filter.Length > 5 ? filter[5] : "*";
        return In(weekdays, (int)local.DayOfWeek)
            && (!int.TryParse(weeks, NumberStyles.None, CultureInfo.InvariantCulture, out int every) || every <= 1 || (local.Date - localStart.Date).Days / 7 % every == 0)
            && In(monthDays, local.Day);
    }

    private static bool In(string list, int value) =>
        list == "*" || list.Split(',').Any(item => int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n == value);

    private static string? Text(JsonElement entity, string name) =>
        entity.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement entity, string name) =>
        entity.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>The wall clock of a schedule's time zone under its daylight saving rule.</summary>
    private sealed class WallClock
    {
        private const long Observe = 0;
        private const long PermanentDaylightSavingTime = 2;

        private readonly TimeZoneInfo _zone;
        private readonly TimeSpan? _fixedOffset;

        public WallClock(string? timeZone, long daylightSavingTime)
        {
            _zone = Zone(timeZone);
            _fixedOffset = daylightSavingTime switch
            {
                Observe => null,
                PermanentDaylightSavingTime when _zone.SupportsDaylightSavingTime => _zone.BaseUtcOffset + TimeSpan.FromHours(1),
                _ => _zone.BaseUtcOffset,
            };
        }

        public DateTime ToLocal(DateTime utc) => DateTime.SpecifyKind(
            _fixedOffset is TimeSpan offset ? utc + offset : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone),
            DateTimeKind.Unspecified);

        public DateTime ToUtc(DateTime local)
        {
            if (_fixedOffset is TimeSpan offset)
            {
                return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
            }

            // A wall-clock time skipped when the clocks go forward runs at the first time that exists after it.
            while (_zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(30);
            }

            return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
        }

        private static TimeZoneInfo Zone(string? id)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                return TimeZoneInfo.Utc;
            }

            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (TimeZoneNotFoundException)
            {
                return TimeZoneInfo.Utc;
            }
            catch (InvalidTimeZoneException)
            {
                return TimeZoneInfo.Utc;
            }
        }
    }
}
