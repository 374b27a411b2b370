using System;
using System.Globalization;
using System.Text.Json;
using QlikQrs.Sandbox.Scheduling;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>When a schedule fires next, for each kind of schedule the QMC makes, and across a daylight saving change.</summary>
public sealed class ScheduleCalendarTests
{
    [Theory]
    [InlineData(2, "0 0 1 0", "* * - * * * * *", "2026-01-01T03:00:00Z", "2026-03-10T05:00:00Z", "2026-03-11T03:00:00Z")]
    [InlineData(2, "0 0 1 0", "* * - * * * * *", "2026-01-01T03:00:00Z", "2026-03-10T02:59:59Z", "2026-03-10T03:00:00Z")]
    [InlineData(2, "0 0 3 0", "* * - * * * * *", "2026-01-01T03:00:00Z", "2026-01-02T00:00:00Z", "2026-01-04T03:00:00Z")]
    [InlineData(1, "0 1 0 0", "* * - * * * * *", "2026-01-01T00:30:00Z", "2026-01-05T10:31:00Z", "2026-01-05T11:30:00Z")]
    [InlineData(5, "15 0 0 0", "* * - * * * * *", "2026-01-01T00:05:00Z", "2026-01-01T10:21:00Z", "2026-01-01T10:35:00Z")]
    [InlineData(3, "0 0 1 0", "* * - 1,3 1 * * *", "2026-03-01T06:00:00Z", "2026-03-03T07:00:00Z", "2026-03-04T06:00:00Z")]
    [InlineData(3, "0 0 1 0", "* * - 1 2 * * *", "2026-03-01T06:00:00Z", "2026-03-03T07:00:00Z", "2026-03-16T06:00:00Z")]
    [InlineData(4, "0 0 1 0", "* * - * * 1,15 * *", "2026-01-01T04:00:00Z", "2026-03-10T05:00:00Z", "2026-03-15T04:00:00Z")]
    [InlineData(0, "0 0 0 0", "* * - * * * * *", "2026-06-01T12:00:00Z", "2026-03-10T05:00:00Z", "2026-06-01T12:00:00Z")]
    public void TheNextExecutionFollowsTheIncrementAndTheFilter(int option, string increment, string filter, string start, string after, string expected)
    {
        JsonElement schedule = Schedule(option, increment, filter, start, "9999-01-01T00:00:00.000Z", "UTC", 0);

        Assert.Equal(Utc(expected), ScheduleCalendar.Next(schedule, Utc(after)));
    }

    [Fact]
    public void ASchedulePastItsExpirationOrAOnceInThePastNeverFiresAgain()
    {
        Assert.Null(ScheduleCalendar.Next(Schedule(2, "0 0 1 0", "* * - * * * * *", "2026-01-01T03:00:00Z", "2026-02-01T00:00:00.000Z", "UTC", 0), Utc("2026-03-10T05:00:00Z")));
        Assert.Null(ScheduleCalendar.Next(Schedule(0, "0 0 0 0", "* * - * * * * *", "2026-01-01T03:00:00Z", "9999-01-01T00:00:00.000Z", "UTC", 0), Utc("2026-03-10T05:00:00Z")));
    }

    /// <summary>Stockholm goes from UTC+1 to UTC+2 on 29 March 2026: a daily 03:00 keeps its wall-clock time unless the schedule keeps one offset all year.</summary>
    [Theory]
    [InlineData(0, "2026-03-28T02:00:00Z", "2026-03-30T01:00:00Z")]
    [InlineData(1, "2026-03-28T02:00:00Z", "2026-03-30T02:00:00Z")]
    [InlineData(2, "2026-03-28T02:00:00Z", "2026-03-30T02:00:00Z")]
    public void ADailyScheduleAcrossTheDaylightSavingChange(int daylightSavingTime, string beforeChange, string afterChange)
    {
        JsonElement schedule = Schedule(2, "0 0 1 0", "* * - * * * * *", "2026-01-01T02:00:00Z", "9999-01-01T00:00:00.000Z", "Europe/Stockholm", daylightSavingTime);

        Assert.Equal(Utc(beforeChange), ScheduleCalendar.Next(schedule, Utc("2026-03-27T12:00:00Z")));
        Assert.Equal(Utc(afterChange), ScheduleCalendar.Next(schedule, Utc("2026-03-29T12:00:00Z")));
    }

    private static JsonElement Schedule(int option, string increment, string filter, string start, string expiration, string timeZone, int daylightSavingTime) =>
        JsonSerializer.SerializeToElement(new
        {
            incrementOption = option,
            incrementDescription = increment,
            schemaFilterDescription = new[] { filter },
            startDate = start,
            expirationDate = expiration,
            timeZone,
            daylightSavingTime,
        });

    private static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
