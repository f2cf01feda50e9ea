using System.Globalization;

namespace AgentBill.Ledger;

/// <summary>
/// What makes two commands under one idempotency key the same request. Every store compares these: the same key
/// with another fingerprint is an <see cref="IdempotencyConflictException"/>, not a replay.
/// </summary>
/// <param name="AgentId">The agent.</param>
/// <param name="TaskRef">The task, if any.</param>
/// <param name="Meter">The meter.</param>
/// <param name="Units">The units asked for or charged.</param>
/// <param name="ReservationId">The hold a charge names, if any; always <see langword="null"/> for a reserve.</param>
public readonly record struct LedgerFingerprint(string AgentId, string? TaskRef, UsageMeter Meter, long Units, string? ReservationId)
{
    // Control characters never appear in ids, so one separates the parts unambiguously.
    private const char Separator = '\x1e';

    /// <summary>The fingerprint of a reserve.</summary>
    /// <param name="command">The reserve.</param>
    public static LedgerFingerprint Of(in ReserveCommand command)
        => new(command.Call.AgentId, command.Call.TaskRef, command.Call.Meter, command.Units, null);

    /// <summary>The fingerprint of a charge.</summary>
    /// <param name="command">The charge.</param>
    public static LedgerFingerprint Of(in ChargeCommand command)
        => new(command.Call.AgentId, command.Call.TaskRef, command.Call.Meter, command.Units, command.ReservationId);

    /// <summary>The fingerprint as one string, for stores that compare text.</summary>
    public override string ToString() => string.Join(
        Separator,
        AgentId,
        TaskRef ?? string.Empty,
        ((int)Meter).ToString(CultureInfo.InvariantCulture),
        Units.ToString(CultureInfo.InvariantCulture),
        ReservationId ?? string.Empty);
}
