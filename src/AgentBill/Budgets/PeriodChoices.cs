namespace AgentBill;

/// <summary>
/// The day, week and month periods around one instant, for a store whose own clock decides which one a call counts
/// in (the Redis store under its server's clock): the client names the candidates in its time zone, the store picks
/// by its time. A request that waited in a queue across a boundary then counts in the period the store ran it in,
/// and the client's clock only has to be within a period of the store's.
/// </summary>
/// <param name="Day">The days around the instant.</param>
/// <param name="Week">The weeks around the instant.</param>
/// <param name="Month">The months around the instant.</param>
public sealed record PeriodChoices(PeriodSpan Day, PeriodSpan Week, PeriodSpan Month)
{
    /// <summary>Gets the names of the periods that contain an instant, as <see cref="PeriodSpan.At"/> picks them.</summary>
    /// <param name="instant">The instant, by the deciding clock.</param>
    public PeriodKeys At(DateTimeOffset instant) => new(Day.At(instant), Week.At(instant), Month.At(instant));
}

/// <summary>One kind of period around an instant: the period that contains it, its neighbours, and where it starts and ends.</summary>
/// <param name="Previous">The name of the period before the current one.</param>
/// <param name="Current">The name of the period that contains the instant.</param>
/// <param name="Next">The name of the period after the current one.</param>
/// <param name="Start">Where the current period starts (inclusive).</param>
/// <param name="End">Where the current period ends (exclusive): the next one starts.</param>
public readonly record struct PeriodSpan(string Previous, string Current, string Next, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Gets the name of the period an instant falls in: before <see cref="Start"/> the previous one, before <see cref="End"/> the current one, else the next.</summary>
    /// <param name="instant">The instant, by the deciding clock.</param>
    public string At(DateTimeOffset instant) => instant < Start ? Previous : instant < End ? Current : Next;
}
