using System.Globalization;
using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>
/// Outcomes as text in the answers table, to replay a retried command: fields separated by a control character,
/// which never appears in an id, and an empty field for <see langword="null"/> (ids are never empty).
/// </summary>
internal static class StoredAnswer
{
    private const char Separator = '\x1e';

    public static string Encode(in ReserveOutcome outcome)
    {
        var refusal = outcome.Refusal;
        return string.Join(
            Separator,
            outcome.Approved ? "1" : "0",
            Number((int)outcome.Reason),
            Number(outcome.RemainingUnits),
            outcome.ReservationId ?? string.Empty,
            Number(outcome.HeldUnits),
            Number(outcome.ExpiresAt?.UtcTicks),
            refusal is { } r ? Number((int)r.Key.Scope.Kind) : string.Empty,
            refusal?.Key.Scope.CustomerId ?? string.Empty,
            refusal?.Key.Scope.Name ?? string.Empty,
            Number(refusal is { } m ? (int)m.Key.Meter : null),
            Number(refusal is { } p ? (int)p.Period : null),
            Number(refusal?.Limit),
            Number(refusal?.Used),
            Number(refusal?.Reserved),
            Number(refusal?.EarliestHoldExpiry?.UtcTicks));
    }

    public static ReserveOutcome DecodeReserve(string text)
    {
        var f = text.Split(Separator);
        BudgetRefusal? refusal = null;
        if (f[6].Length > 0)
        {
            var kind = (BudgetScopeKind)Int(f[6]);
            var scope = kind switch
            {
                BudgetScopeKind.Global => BudgetScope.Global,
                BudgetScopeKind.Customer => BudgetScope.Customer(f[7]),
                BudgetScopeKind.Agent => BudgetScope.Agent(f[7], f[8]),
                _ => BudgetScope.Task(f[7], f[8]),
            };
            refusal = new BudgetRefusal(new BudgetKey(scope, (UsageMeter)Int(f[9])), (BudgetPeriod)Int(f[10]), Long(f[11]), Long(f[12]), Long(f[13]), Time(f[14]));
        }

        return new ReserveOutcome
        {
            Approved = f[0] == "1",
            Reason = (RefusalReason)Int(f[1]),
            RemainingUnits = NullableLong(f[2]),
            ReservationId = f[3].Length == 0 ? null : f[3],
            HeldUnits = Long(f[4]),
            ExpiresAt = Time(f[5]),
            Refusal = refusal,
        };
    }

    public static string Encode(in ChargeOutcome outcome)
        => string.Join(
            Separator,
            Number(outcome.Units),
            outcome.SettledReservationId ?? string.Empty,
            Number(outcome.ReleasedUnits),
            outcome.IsOverrun ? "1" : "0",
            outcome.IsSaturated ? "1" : "0",
            Number(outcome.RemainingUnits));

    public static ChargeOutcome DecodeCharge(string text)
    {
        var f = text.Split(Separator);
        return new ChargeOutcome
        {
            Units = Long(f[0]),
            SettledReservationId = f[1].Length == 0 ? null : f[1],
            ReleasedUnits = Long(f[2]),
            IsOverrun = f[3] == "1",
            IsSaturated = f[4] == "1",
            RemainingUnits = NullableLong(f[5]),
        };
    }

    /// <summary>What makes a repeated settle of a named hold the same settle: its units, agent, task and meter.</summary>
    public static string SettleFingerprint(in ChargeCommand command)
        => string.Join(Separator, Number(command.Units), command.Call.AgentId, command.Call.TaskRef ?? string.Empty, Number((int)command.Call.Meter));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(long? value) => value is { } v ? Number(v) : string.Empty;

    private static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static long? NullableLong(string text) => text.Length == 0 ? null : Long(text);

    private static DateTimeOffset? Time(string text) => text.Length == 0 ? null : new DateTimeOffset(Long(text), TimeSpan.Zero);
}
