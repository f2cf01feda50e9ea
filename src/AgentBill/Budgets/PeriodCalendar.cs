using System.Globalization;

namespace AgentBill;

/// <summary>Turns instants into calendar period names and bounds in one time zone.</summary>
public sealed class PeriodCalendar
{
    // Every call of a day shares one set of names (and of choices around them): computing them (a zone conversion
    // and a few strings) is the dearest part of a gated call otherwise. Replaced whole, so readers never see a torn value.
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
    public PeriodKeys KeysAt(DateTimeOffset instant) => DayAt(instant).Keys;

    /// <summary>
    /// Gets the day, week and month that contain an instant with their neighbours and bounds, for a store whose own
    /// clock picks among them (<see cref="PeriodChoices"/>). Cached per day, like <see cref="KeysAt"/>.
    /// </summary>
    /// <param name="instant">The instant, by the client's clock.</param>
    public PeriodChoices ChoicesAt(DateTimeOffset instant) => DayAt(instant).Choices;

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

    private CachedDay DayAt(DateTimeOffset instant)
    {
        var today = _today;
        if (today is not null && instant >= today.Start && instant < today.End)
        {
            return today;
        }

        var date = LocalDate(instant);
        var week = WeekStart(date);
        var month = new DateTime(date.Year, date.Month, 1);
        var keys = new PeriodKeys(DayName(date), WeekName(week), MonthName(month));
        var start = AtLocalMidnight(date);
        var end = AtLocalMidnight(date.AddDays(1));
        var choices = new PeriodChoices(
            new PeriodSpan(DayName(date.AddDays(-1)), keys.Day, DayName(date.AddDays(1)), start, end),
            new PeriodSpan(WeekName(week.AddDays(-7)), keys.Week, WeekName(week.AddDays(7)), AtLocalMidnight(week), AtLocalMidnight(week.AddDays(7))),
            new PeriodSpan(MonthName(month.AddMonths(-1)), keys.Month, MonthName(month.AddMonths(1)), AtLocalMidnight(month), AtLocalMidnight(month.AddMonths(1))));
        today = new CachedDay(start, end, keys, choices);
        _today = today;
        return today;
    }

    private static string DayName(DateTime date) => "d:" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string WeekName(DateTime monday) => "w:" + monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string MonthName(DateTime date) => "m:" + date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

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

    private sealed record CachedDay(DateTimeOffset Start, DateTimeOffset End, PeriodKeys Keys, PeriodChoices Choices);
}
