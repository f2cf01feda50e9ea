namespace AgentBill.Redis;

/// <summary>
/// Thrown by every operation of the Redis store once it has seen that the ledger's data was lost — the server
/// restarted without persistence, was flushed, or failed over to a replica that had none of it — until an
/// operator calls <see cref="RedisBudgetLedger.AcknowledgeDataLossAsync"/>. Budgets and usage may be gone, so
/// nothing is approved or charged meanwhile, whatever the client's failure mode: the exception is not an outage.
/// With <see cref="RedisLedgerOptions.CreateLedgerOnFirstUse"/> off it is also thrown when the ledger does not exist
/// at all (never initialized, or lost before this process started), until <see cref="RedisBudgetLedger.InitializeAsync"/>
/// creates a new one or <see cref="RedisBudgetLedger.AcknowledgeDataLossAsync"/> acknowledges the loss.
/// </summary>
public sealed class LedgerDataLostException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    public LedgerDataLostException()
        : base("The Redis ledger's data was lost (a restart without persistence, a flush, or a failover to an empty replica): budgets and usage may be gone. " +
               "Nothing is approved or charged until an operator restores them and calls RedisBudgetLedger.AcknowledgeDataLossAsync.")
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    /// <param name="message">What was found.</param>
    public LedgerDataLostException(string message)
        : base(message)
    {
    }

    /// <summary>The ledger's epoch key is missing where a ledger must already exist.</summary>
    internal static LedgerDataLostException Missing()
        => new("The Redis ledger does not exist: it was never initialized, or its data was lost (a restart without persistence, a flush, or a failover to an empty replica). " +
               "Nothing is approved or charged. Run RedisBudgetLedger.InitializeAsync to create a new ledger, or, after a loss, restore budgets and usage and call RedisBudgetLedger.AcknowledgeDataLossAsync.");
}
