namespace AgentBill.Ledger;

/// <summary>Finds the reports of a registered ledger, looking through the resilience layer to the store it wraps.</summary>
internal static class LedgerReports
{
    public static IBudgetLedgerReports Of(IBudgetLedger ledger)
    {
        var store = ledger is ResilientBudgetLedger resilient ? resilient.InnerLedger : ledger;
        return store as IBudgetLedgerReports
            ?? throw new InvalidOperationException($"The registered ledger ({store.GetType().FullName}) does not implement {nameof(IBudgetLedgerReports)}: it cannot list usage, budgets or refusals across customers.");
    }
}
