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
/// <param name="CallerMayRepeat">
/// Whether the caller can send this settle again by itself (a record naming a reservation), so a store must
/// replay a repeat until <see cref="LedgerCall.RememberUntil"/>. False for a reservation handle's commit, which
/// the handle allows once: only the client's retries after the store was unreachable repeat it, and a store
/// that never reports itself unreachable need not remember it.
/// </param>
public readonly record struct ChargeCommand(LedgerCall Call, long Units, string? ReservationId, bool SettleOldestHold = true, bool CallerMayRepeat = true);
