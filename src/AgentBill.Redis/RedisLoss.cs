namespace AgentBill.Redis;

/// <summary>The Redis store's words for a lost ledger (<see cref="LedgerDataLostException"/>).</summary>
internal static class RedisLoss
{
    /// <summary>The ledger's data was seen lost.</summary>
    public static LedgerDataLostException Lost()
        => new("The Redis ledger's data was lost (a restart without persistence, a flush, or a failover to an empty replica): budgets and usage may be gone. " +
               "Nothing is approved or charged until an operator restores them and calls RedisBudgetLedger.AcknowledgeDataLossAsync.");

    /// <summary>The ledger's epoch key is missing where a ledger must already exist.</summary>
    public static LedgerDataLostException Missing()
        => new("The Redis ledger does not exist: it was never initialized, or its data was lost (a restart without persistence, a flush, or a failover to an empty replica). " +
               "Nothing is approved or charged. Run RedisBudgetLedger.InitializeAsync to create a new ledger, or, after a loss, restore budgets and usage and call RedisBudgetLedger.AcknowledgeDataLossAsync.");
}
