namespace AgentBill.Ledger;

/// <summary>
/// Usage to settle: against the named hold; without a name, against the oldest open hold of the same
/// customer, agent and meter; with none open (or the named one expired), charged directly to the current
/// periods. Usage is stored even when it crosses a limit.
/// </summary>
/// <param name="Call">Who is calling and when.</param>
/// <param name="Units">The units actually used.</param>
/// <param name="ReservationId">The hold to settle, if named.</param>
/// <param name="SettleOldestHold">
/// Whether an unnamed charge settles the oldest open hold of its customer, agent and meter. False for a run that
/// was approved without a hold (fail-open): it must never settle another call's hold.
/// </param>
public sealed record ChargeCommand(LedgerCall Call, long Units, string? ReservationId, bool SettleOldestHold = true);
