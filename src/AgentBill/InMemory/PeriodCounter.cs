namespace AgentBill.InMemory;

/// <summary>
/// One scope and meter's numbers in one period: settled usage, what open holds approved in the period hold, the
/// highest alert threshold raised, and when it last changed. A value kept inline in its <see cref="ScopeUsage"/>.
/// </summary>
internal struct PeriodCounter
{
    /// <summary>The period's name (<see cref="PeriodKeys"/>), or <see langword="null"/> for a slot never used.</summary>
    public string? Key;

    public long Used;

    /// <summary>The units of the open holds approved in this period.</summary>
    public long Reserved;

    public int Alerted;

    public DateTimeOffset Touched;

    /// <summary>Whether the counter holds anything worth keeping once its period has passed.</summary>
    public readonly bool IsEmpty => Used == 0 && Reserved == 0 && Alerted == 0;
}
