namespace AgentBill.Redis;

/// <summary>
/// Thrown by every operation of the Redis store once it has seen that the ledger's data was lost — the server
/// restarted without persistence, was flushed, or failed over to a replica that had none of it — until an
/// operator calls <see cref="RedisBudgetLedger.AcknowledgeDataLossAsync"/>. Budgets and usage may be gone, so
/// nothing is approved or charged meanwhile, whatever the client's failure mode: the exception is not an outage.
/// </summary>
public sealed class LedgerDataLostException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    public LedgerDataLostException()
        : base("The Redis ledger's data was lost (a restart without persistence, a flush, or a failover to an empty replica): budgets and usage may be gone. " +
               "Nothing is approved or charged until an operator restores them and calls RedisBudgetLedger.AcknowledgeDataLossAsync.")
    {
    }
}
