using AgentBill.Ledger;

namespace AgentBill.Server.Ledger;

/// <summary>
/// Puts a client's command on the server's clock. The server decides time: clients' clocks disagree, and a ledger
/// shared by many of them must expire holds and name periods by one clock. What a client chose stays its choice:
/// a hold's TTL and how long a charge is remembered are kept as durations, and the period names come from the
/// client's <see cref="PeriodChoices"/> (its time zone) at the server's instant.
/// </summary>
internal static class ServerClock
{
    public static LedgerCall Rebase(in LedgerCall call, DateTimeOffset now) => call with
    {
        Now = now,
        Periods = call.Choices is { } choices ? choices.At(now) : call.Periods,
        RememberUntil = Later(now, call.RememberUntil, call.Now),
    };

    public static ReserveCommand Rebase(in ReserveCommand command, DateTimeOffset now)
        => command with { Call = Rebase(command.Call, now), ExpiresAt = Later(now, command.ExpiresAt, command.Call.Now) };

    public static TopUpCommand Rebase(in TopUpCommand command, DateTimeOffset now)
        => command with { Now = now, ExpiresAt = Later(now, command.ExpiresAt, command.Now) };

    public static ExtendCommand Rebase(in ExtendCommand command, DateTimeOffset now)
        => command with { Now = now, ExpiresAt = Later(now, command.ExpiresAt, command.Now) };

    public static ChargeCommand Rebase(in ChargeCommand command, DateTimeOffset now) => command with { Call = Rebase(command.Call, now) };

    public static ReleaseCommand Rebase(in ReleaseCommand command, DateTimeOffset now) => command with { Now = now };

    // The client's instant plus the duration it asked for, moved to the server's clock.
    private static DateTimeOffset Later(DateTimeOffset now, DateTimeOffset clientLater, DateTimeOffset clientNow)
        => now + (clientLater - clientNow);
}
