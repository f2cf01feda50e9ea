namespace AgentBill.Ledger;

/// <summary>One refusal the store decided, kept so that an operator can see why a customer was refused.</summary>
/// <param name="At">When the store decided it, by the store's clock.</param>
/// <param name="CustomerId">Whose call was refused.</param>
/// <param name="AgentId">The agent that asked.</param>
/// <param name="TaskRef">The task the call belonged to, if any.</param>
/// <param name="Meter">The meter of the request.</param>
/// <param name="Reason">Why.</param>
/// <param name="Scope">The scope whose budget or ceiling refused, when one did.</param>
/// <param name="Requested">The units the call asked to hold.</param>
/// <param name="Remaining">What the refusing scope had left, when known.</param>
public sealed record RefusalRecord(
    DateTimeOffset At,
    string CustomerId,
    string AgentId,
    string? TaskRef,
    UsageMeter Meter,
    RefusalReason Reason,
    BudgetScope? Scope,
    long Requested,
    long? Remaining);
