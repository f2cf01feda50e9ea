using Npgsql;

namespace AgentBill.Postgres;

/// <summary>What each PostgreSQL failure means to a caller: an outage, a database that cannot hold the ledger, or a ledger whose tables went away.</summary>
internal static class PostgresFailures
{
    /// <summary>Whether PostgreSQL stopped a transaction to break a deadlock or a serialization conflict: it changed nothing and may run again.</summary>
    public static bool IsConflict(PostgresException exception) => exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>Turns a failure into AgentBill's exception.</summary>
    /// <param name="exception">Npgsql's failure.</param>
    /// <param name="database">The database's name, for the message.</param>
    /// <param name="schemaSeen">Whether this ledger object had found the ledger's tables before.</param>
    public static AgentBillException Translate(NpgsqlException exception, string database, bool schemaSeen)
    {
        if (exception is not PostgresException postgres)
        {
            // No answer from the server: refused, reset, timed out, or the pool found no connection in time.
            return new AgentBillUnavailableException($"The PostgreSQL ledger '{database}' cannot be reached: {exception.Message}", exception);
        }

        return postgres.SqlState switch
        {
            PostgresErrorCodes.UndefinedTable when schemaSeen => new LedgerDataLostException(
                $"The AgentBill ledger's tables in PostgreSQL database '{database}' are gone while this process used them: budgets and usage may be lost. " +
                "Nothing is approved or charged until an operator restores them from a backup (or makes an empty ledger with `agentbill ledger init --postgres`)."),
            PostgresErrorCodes.UndefinedTable => new PostgresLedgerSchemaException(database, "it holds no AgentBill ledger yet (make its tables with PostgresBudgetLedger.MigrateAsync or `agentbill ledger init --postgres`)", postgres),
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                new PostgresLedgerSchemaException(database, $"the server refused the login ({postgres.MessageText})", postgres),
            PostgresErrorCodes.InvalidCatalogName => new PostgresLedgerSchemaException(database, "the database does not exist on the server", postgres),
            PostgresErrorCodes.InsufficientPrivilege => new PostgresLedgerSchemaException(database, $"the login may not use the ledger's tables ({postgres.MessageText})", postgres),
            _ => new AgentBillUnavailableException($"The PostgreSQL ledger '{database}' failed: {postgres.SqlState} {postgres.MessageText}", postgres),
        };
    }
}
