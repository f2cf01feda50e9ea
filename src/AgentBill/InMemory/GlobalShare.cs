namespace AgentBill.InMemory;

/// <summary>
/// The part of a hold held against a global budget. The global book can expire it on its own (customers
/// that are never touched again must not starve everyone), so it carries its own open flag: whichever side
/// closes it first returns the units, and the other side never returns them twice.
/// </summary>
internal sealed class GlobalShare(ScopeUsage scope, long units, DateTimeOffset expiresAt, PeriodKeys periods)
{
    public ScopeUsage Scope { get; } = scope;

    /// <summary>The periods its hold was approved in, where its units are held.</summary>
    public PeriodKeys Periods { get; } = periods;

    public long Units { get; set; } = units;
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
    public bool IsOpen { get; set; } = true;
}
