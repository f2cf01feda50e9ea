namespace AgentBill;

/// <summary>Lets the body of a gated method report what it really used; without a report the estimate is recorded.</summary>
public static class GateUsage
{
    /// <summary>Reports the units the current gated call used, replacing any earlier report of the same call.</summary>
    /// <param name="units">The units actually used.</param>
    /// <returns>Whether a gated call is running to receive the report.</returns>
    public static bool Report(long units)
    {
        Validation.Guard.Units(units);
        if (AgentBillContext.CurrentGate() is not { } scope)
        {
            return false;
        }

        scope.ReportedUnits = units;
        return true;
    }

    /// <summary>Adds to the units the current gated call reports, for bodies that count as they go.</summary>
    /// <param name="units">The units to add.</param>
    /// <returns>Whether a gated call is running to receive the report.</returns>
    public static bool Add(long units)
    {
        Validation.Guard.Units(units);
        if (AgentBillContext.CurrentGate() is not { } scope)
        {
            return false;
        }

        scope.ReportedUnits = Math.Min(Validation.Guard.MaxUnits, Ledger.BudgetRules.Add(scope.ReportedUnits ?? 0, units));
        return true;
    }
}
