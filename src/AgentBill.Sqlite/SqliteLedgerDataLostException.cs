namespace AgentBill.Sqlite;

/// <summary>
/// Thrown by every operation of the SQLite store once it has seen that the ledger file it opened was deleted, moved,
/// or replaced by another file while the process ran, until an operator calls
/// <see cref="SqliteBudgetLedger.AcknowledgeDataLossAsync"/>. Budgets and usage may be gone, so nothing is approved or
/// charged meanwhile, whatever the client's failure mode: the exception is not an outage. The file is never silently
/// made again.
/// </summary>
/// <remarks>
/// The SQLite counterpart of the Redis store's <c>LedgerDataLostException</c>; the two should become one type in the
/// core package.
/// </remarks>
public sealed class SqliteLedgerDataLostException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The ledger file.</param>
    /// <param name="what">What happened to it.</param>
    public SqliteLedgerDataLostException(string filePath, string what)
        : base($"The AgentBill ledger file '{filePath}' {what} while this process used it: budgets and usage may be gone. " +
               "Nothing is approved or charged until an operator restores the file and calls SqliteBudgetLedger.AcknowledgeDataLossAsync.")
        => FilePath = filePath;

    /// <summary>Gets the ledger file's full path.</summary>
    public string FilePath { get; }
}
