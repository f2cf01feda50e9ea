namespace AgentBill.Sqlite;

/// <summary>
/// Thrown when the SQLite ledger's file cannot be used: its path cannot be opened, it is read-only, it is not a
/// SQLite database or belongs to another application, or its schema is newer than this library. Nothing in the file
/// was changed. Not an outage: a client's fail-open mode does not let calls through it.
/// </summary>
public sealed class SqliteLedgerFileException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The ledger file.</param>
    /// <param name="reason">Why it cannot be used.</param>
    /// <param name="innerException">SQLite's or the file system's error, when there is one.</param>
    public SqliteLedgerFileException(string filePath, string reason, Exception? innerException = null)
        : base($"The AgentBill ledger file '{filePath}' cannot be used: {reason}. Nothing in it was changed.", null, innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>Gets the ledger file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Gets why the file cannot be used.</summary>
    public string Reason { get; }
}
