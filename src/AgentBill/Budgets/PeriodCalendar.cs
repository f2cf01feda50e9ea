using System.Globalization;

namespace AgentBill;

/// <summary>Turns instants into calendar period names and bounds in one time zone.</summary>
public sealed class PeriodCalendar
{
    // Every call of a day shares one set of names: computing them (a zone conversion and three strings) is the
    // dearest part of a gated call otherwise. Replaced whole, so readers never see a torn value.
    private CachedDay? _today;

    /// <summary>Creates a calendar for a time zone.</summary>
    /// <param name="timeZone">The zone whose midnight starts a day.</param>
    public PeriodCalendar(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        TimeZone = timeZone;
    }

    /// <summary>Gets the time zone.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Gets the names of the day, week and month that contain an instant.</summary>
    /// <param name="instant">The instant.</param>
    public PeriodKeys KeysAt(DateTimeOffset instant)
    {
        var today = _today;
        if (today is not null && instant >= today.Start && instant < today.End)
        {
            return today.Keys;
        }

        var date = LocalDate(instant);
        var keys = new PeriodKeys(
            "d:" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "w:" + WeekStart(date).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "m:" + date.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        _today = new CachedDay(AtLocalMidnight(date), AtLocalMidnight(date.AddDays(1)), keys);
        return keys;
    }

    /// <summary>Gets the start and end of the period of a kind that contains an instant.</summary>
    /// <param name="period">The period kind.</param>
    /// <param name="instant">The instant.</param>
    /// <returns>The bounds, or <see langword="null"/> values for <see cref="BudgetPeriod.Lifetime"/>.</returns>
    public (DateTimeOffset? Start, DateTimeOffset? End) BoundsAt(BudgetPeriod period, DateTimeOffset instant)
    {
        var date = LocalDate(instant);
        (DateTime start, DateTime end) = period switch
        {
            BudgetPeriod.Day => (date, date.AddDays(1)),
            BudgetPeriod.Week => (WeekStart(date), WeekStart(date).AddDays(7)),
            BudgetPeriod.Month => (new DateTime(date.Year, date.Month, 1), new DateTime(date.Year, date.Month, 1).AddMonths(1)),
            _ => (default, default),
        };
        return period == BudgetPeriod.Lifetime ? (null, null) : (AtLocalMidnight(start), AtLocalMidnight(end));
    }

    private DateTime LocalDate(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).Date;

    private static DateTime WeekStart(DateTime date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    private DateTimeOffset AtLocalMidnight(DateTime localDate)
    {
        var local = DateTime.SpecifyKind(localDate, DateTimeKind.Unspecified);
        // A midnight skipped by a daylight-saving jump starts the day at the first valid local time.
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    private sealed record CachedDay(DateTimeOffset Start, DateTimeOffset End, PeriodKeys Keys);
}
