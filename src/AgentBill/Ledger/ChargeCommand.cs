namespace AgentBill.Ledger;

/// <summary>
/// Usage to settle: against the named hold when it is open (the record must name the hold's meter, agent and task);
/// a named hold already settled replays its first answer; without a name, against the oldest open hold of the
/// same customer, agent, meter and task; with none open (or the named one expired), charged directly to the
/// current periods. Usage is stored even when it crosses a limit. A store remembers every settle of a named hold
/// until <see cref="LedgerCall.RememberUntil"/>.
/// </summary>
/// <param name="Call">Who is calling and when.</param>
/// <param name="Units">The units actually used.</param>
/// <param name="ReservationId">The hold to settle, if named.</param>
/// <param name="SettleOldestHold">
/// Whether an unnamed charge settles the oldest open hold of its customer, agent, meter and task. False for a run
/// that was approved without a hold (fail-open): it must never settle another call's hold.
/// </param>
public readonly record struct ChargeCommand(LedgerCall Call, long Units, string? ReservationId, bool SettleOldestHold = true);
