using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// A settled hold, remembered so a retried settle replays its answer instead of charging again. Holds that
/// expired or were released need no tombstone: a late settle of one is charged directly, like a record.
/// </summary>
internal sealed record Tombstone(long SettledUnits, ChargeOutcome Settlement, DateTimeOffset ForgetAt);
