namespace AgentBill.InMemory;

/// <summary>Integer threshold arithmetic, so no ledger needs floating point to decide an alert.</summary>
internal static class ThresholdMath
{
    /// <summary>Whether <paramref name="used"/> is at least <paramref name="percent"/> % of <paramref name="limit"/>.</summary>
    public static bool Reached(long used, long limit, int percent)
        => limit == 0 ? used > 0 : (Int128)used * 100 >= (Int128)limit * percent;
}
