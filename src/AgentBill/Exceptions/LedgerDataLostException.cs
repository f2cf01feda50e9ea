namespace AgentBill;

/// <summary>
/// Thrown by every operation of a durable store once it has seen that the ledger's data was lost — a Redis server
/// restarted without persistence, flushed or failed over to an empty replica; a SQLite ledger file deleted, moved or
/// replaced while the process ran — until an operator acknowledges the loss (<c>AcknowledgeDataLossAsync</c> on the
/// store). Budgets and usage may be gone, so nothing is approved or charged meanwhile, whatever the client's failure
/// mode: the exception is not an outage, and a store never silently starts an empty ledger in place of a lost one.
/// </summary>
/// <remarks>One type for every store, so code that stops on a lost ledger catches one exception whichever store it runs on.</remarks>
public sealed class LedgerDataLostException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost, and what an operator does about it.</param>
    /// <param name="innerException">The store's own error, if one told of the loss.</param>
    public LedgerDataLostException(string message, Exception? innerException = null)
        : base(message, null, innerException)
    {
    }
}
