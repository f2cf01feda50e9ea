using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// A settled hold, remembered so a repeated settle replays its answer instead of charging again, for the whole
/// idempotency window. It keeps a hash of the settle's agent, task and meter: a repeat that names other parties or
/// other units is a conflict, not a replay.
/// </summary>
/// <remarks>
/// A value with no references: a busy store remembers every settle of a day, and a table of these costs the
/// collector nothing to scan.
/// </remarks>
internal readonly record struct Tombstone(long SettledUnits, long ReleasedUnits, long RemainingOrMinusOne, bool IsOverrun, bool IsSaturated, int Parties, long ForgetAtTicks)
{
    /// <summary>Remembers a settle's answer until <paramref name="forgetAt"/>.</summary>
    public static Tombstone Of(in ChargeCommand command, in ChargeOutcome settlement, DateTimeOffset forgetAt)
        => new(settlement.Units, settlement.ReleasedUnits, settlement.RemainingUnits ?? -1, settlement.IsOverrun, settlement.IsSaturated, PartiesOf(command.Call), forgetAt.UtcTicks);

    /// <summary>Whether a settle repeats this one: the same units, agent, task and meter.</summary>
    public bool IsRepeatedBy(in ChargeCommand command) => SettledUnits == command.Units && Parties == PartiesOf(command.Call);

    /// <summary>The first answer again, marked as a replay; its alerts were raised the first time.</summary>
    public ChargeOutcome Replay(string reservationId) => new()
    {
        Units = SettledUnits,
        SettledReservationId = reservationId,
        ReleasedUnits = ReleasedUnits,
        IsOverrun = IsOverrun,
        IsSaturated = IsSaturated,
        RemainingUnits = RemainingOrMinusOne < 0 ? null : RemainingOrMinusOne,
        IsReplay = true,
    };

    // In memory only, so a per-process hash is enough: a repeat naming other parties is told apart from a replay.
    private static int PartiesOf(in LedgerCall call) => HashCode.Combine(call.AgentId, call.TaskRef, call.Meter);
}
