using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// A settled hold, remembered so a retried settle replays its answer instead of charging again. Holds that
/// expired or were released need no tombstone: a late settle of one is charged directly, like a record.
/// </summary>
/// <remarks>
/// A value, not an object: a busy store settles many holds per window, and a struct in the generation's
/// table costs no allocation and gives the collector no objects to promote.
/// </remarks>
internal readonly record struct Tombstone(long SettledUnits, long ReleasedUnits, bool IsOverrun, long? RemainingUnits, DateTimeOffset ForgetAt)
{
    /// <summary>Remembers a settle's answer until <paramref name="forgetAt"/>.</summary>
    public static Tombstone Of(ChargeOutcome settlement, DateTimeOffset forgetAt)
        => new(settlement.Units, settlement.ReleasedUnits, settlement.IsOverrun, settlement.RemainingUnits, forgetAt);

    /// <summary>The first answer again, marked as a replay; its alerts were raised the first time.</summary>
    public ChargeOutcome Replay(string reservationId) => new()
    {
        Units = SettledUnits,
        SettledReservationId = reservationId,
        ReleasedUnits = ReleasedUnits,
        IsOverrun = IsOverrun,
        RemainingUnits = RemainingUnits,
        IsReplay = true,
    };
}
