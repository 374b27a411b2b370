using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs.Tasks;

/// <summary>How often a schedule fires.</summary>
public enum QrsScheduleFrequency
{
    Once,
    Minute,
    Hourly,
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// Schedules as QRS models them (schema events): <c>startDate</c> is the first run (UTC), <c>incrementDescription</c>
/// the step between runs as "minutes hours days weeks", <c>schemaFilterDescription</c> which steps fire as
/// "* * - weekdays weeks monthdays * *" (weekdays 0 Sunday to 6, the week interval, days of the month), in the
/// <c>timeZone</c> whose wall clock the schedule keeps (or a fixed offset, <c>daylightSavingTime</c>).
/// </summary>
public static class QrsTaskSchedules
{
    private const string EveryStep = "* * - * * * * *";

    /// <summary>A schedule that fires at <paramref name="at"/> (wall-clock time in <paramref name="timeZone"/>) from <paramref name="start"/>'s day on.</summary>
    public static SchemaEvent Build(string name, QrsScheduleFrequency frequency, TimeSpan at, int interval, IReadOnlyCollection<DayOfWeek>? daysOfWeek,
        IReadOnlyCollection<int>? daysOfMonth, TimeZoneInfo timeZone, string timeZoneId, DateTime start, DateTime? end, SchemaEventDaylightSavingTime daylightSaving)
    {
        DateTime wallClock = DateTime.SpecifyKind(start.Date + at, DateTimeKind.Unspecified);
        DateTime first = TimeZoneInfo.ConvertTimeToUtc(timeZone.IsInvalidTime(wallClock) ? wallClock.AddHours(1) : wallClock, timeZone);
        DayOfWeek[] days = daysOfWeek is { Count: > 0 } ? daysOfWeek.Distinct().OrderBy(d => d).ToArray() : new[] { start.DayOfWeek };
        int[] monthDays = daysOfMonth is { Count: > 0 } ? daysOfMonth.Distinct().OrderBy(d => d).ToArray() : new[] { start.Day };
        (SchemaEventIncrementOption option, string increment, string filter) = frequency switch
        {
            QrsScheduleFrequency.Once => (SchemaEventIncrementOption.once, "0 0 0 0", EveryStep),
            QrsScheduleFrequency.Minute => (SchemaEventIncrementOption.hourly, $"{interval} 0 0 0", EveryStep),
            QrsScheduleFrequency.Hourly => (SchemaEventIncrementOption.hourly, $"0 {interval} 0 0", EveryStep),
            QrsScheduleFrequency.Daily => (SchemaEventIncrementOption.daily, $"0 0 {interval} 0", EveryStep),
            QrsScheduleFrequency.Weekly => (SchemaEventIncrementOption.weekly, "0 0 1 0", $"* * - {string.Join(",", days.Select(d => (int)d))} {interval} * * *"),
            _ => (SchemaEventIncrementOption.monthly, "0 0 1 0", $"* * - * * {string.Join(",", monthDays)} * *"),
        };
        return new SchemaEvent
        {
            Name = name,
            Enabled = true,
            EventType = SchemaEventEventType.Schema,
            TimeZone = timeZoneId,
            DaylightSavingTime = daylightSaving,
            StartDate = new QrsDateTime(DateTime.SpecifyKind(first, DateTimeKind.Utc)),
            ExpirationDate = end is DateTime last ? new QrsDateTime(last) : new QrsDateTime(QrsDateTime.NeverText),
            IncrementOption = option,
            IncrementDescription = increment,
            SchemaFilterDescription = new List<string> { filter },
        };
    }

    /// <summary>A copy of <paramref name="schedule"/> for a task bundle: no id, no task, named after the task when it has no name.</summary>
    public static SchemaEvent Unbound(SchemaEvent schedule, string taskName)
    {
        var copy = (SchemaEvent)QrsEntity.FromJson(schedule.ToJson(), typeof(SchemaEvent));
        copy.Id = null;
        copy.CreatedDate = null;
        copy.ModifiedDate = null;
        copy.Operational = null;
        copy.ReloadTask = null;
        copy.ExternalProgramTask = null;
        copy.UserSyncTask = null;
        copy.Name = string.IsNullOrEmpty(copy.Name) ? $"Schedule of {taskName}" : copy.Name;
        return copy;
    }

    /// <summary>The time zone a schedule keeps: the one named, or this machine's, by the name QRS uses (IANA where there is one).</summary>
    public static (TimeZoneInfo Zone, string Id) ResolveTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            TimeZoneInfo local = TimeZoneInfo.Local;
#if NETFRAMEWORK
            return (local, local.Id);
#else
            return (local, local.HasIanaId ? local.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(local.Id, out string? iana) ? iana : local.Id);
#endif
        }

        try
        {
            return (TimeZoneInfo.FindSystemTimeZoneById(id), id!);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new QrsCommandException("QrsTimeZoneNotFound", ErrorCategory.InvalidArgument, $"'{id}' is not a time zone this machine knows.", id,
                "Give a time zone id such as 'Europe/Paris' or 'UTC' ([System.TimeZoneInfo]::GetSystemTimeZones() lists them).");
        }
    }

    /// <summary>A schedule in words: "Daily at 02:00 (Europe/Paris)", "Weekly on Monday, Thursday at 06:30 (UTC)".</summary>
    public static string Describe(SchemaEvent schedule)
    {
        int[] step = (schedule.IncrementDescription ?? "0 0 0 0").Split(' ').Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0)
            .Concat(new int[4]).Take(4).ToArray();
        string[] filter = (schedule.SchemaFilterDescription?.FirstOrDefault() ?? EveryStep).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        try
        {
            zone = string.IsNullOrEmpty(schedule.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone!);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Shown in UTC, and said so below.
        }

        DateTime first = schedule.StartDate is QrsDateTime start ? TimeZoneInfo.ConvertTimeFromUtc(start.Value, zone) : default;
        string time = first.ToString("HH:mm", CultureInfo.InvariantCulture);
        string when = schedule.IncrementOption switch
        {
            SchemaEventIncrementOption.once => $"Once on {first.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
            SchemaEventIncrementOption.weekly => $"{Every(Field(filter, 4), "Weekly", "weeks")} on {string.Join(", ", Numbers(Field(filter, 3)).Select(d => ((DayOfWeek)(d % 7)).ToString()))} at {time}",
            SchemaEventIncrementOption.monthly => $"Monthly on day {string.Join(", ", Numbers(Field(filter, 5)))} at {time}",
            _ when step[0] > 0 => $"Every {step[0]} minutes from {time}",
            _ when step[1] > 0 => step[1] == 1 ? $"Hourly from {time}" : $"Every {step[1]} hours from {time}",
            _ when step[2] > 0 => step[2] == 1 ? $"Daily at {time}" : $"Every {step[2]} days at {time}",
            _ => $"Every {step[3]} weeks at {time}",
        };
        string until = schedule.ExpirationDate is QrsDateTime { IsNever: false } end ? $" until {TimeZoneInfo.ConvertTimeFromUtc(end.Value, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}" : string.Empty;
        return $"{when}{until} ({zone.Id}{(schedule.DaylightSavingTime is SchemaEventDaylightSavingTime dst and not SchemaEventDaylightSavingTime.ObserveDaylightSavingTime ? ", " + dst : string.Empty)})";
    }

    private static string Field(string[] filter, int index) => index < filter.Length ? filter[index] : "*";

    private static IEnumerable<int> Numbers(string field) =>
        field.Split(',').Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? (int?)n : null).OfType<int>();

    private static string Every(string field, string once, string unit) =>
        int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 1 ? $"Every {n} {unit}" : once;
}
