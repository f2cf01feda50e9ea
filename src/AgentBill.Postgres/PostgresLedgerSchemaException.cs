namespace AgentBill.Postgres;

/// <summary>
/// Thrown when the database cannot hold the ledger as it is: its tables were never made (run
/// <see cref="PostgresBudgetLedger.MigrateAsync"/> or <c>agentbill ledger init --postgres</c>), they are of an older
/// version not yet migrated, of a newer version than this library understands, or tables of the same names belong to
/// something else; or the login or database in the connection string is refused. Nothing was changed. Not an outage:
/// a client's fail-open mode does not let calls through it.
/// </summary>
public sealed class PostgresLedgerSchemaException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="database">The database, as the connection string names it.</param>
    /// <param name="reason">Why it cannot be used.</param>
    /// <param name="innerException">PostgreSQL's error, when there is one.</param>
    public PostgresLedgerSchemaException(string database, string reason, Exception? innerException = null)
        : base($"The PostgreSQL database '{database}' cannot be used as the AgentBill ledger: {reason}. Nothing in it was changed.", null, innerException)
    {
        Database = database;
        Reason = reason;
    }

    /// <summary>Gets the database, as the connection string names it.</summary>
    public string Database { get; }

    /// <summary>Gets why it cannot be used.</summary>
    public string Reason { get; }
}
