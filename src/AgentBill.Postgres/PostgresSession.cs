using System.Data.Common;
using AgentBill.SqlLedger;
using Npgsql;

namespace AgentBill.Postgres;

/// <summary>
/// One operation's connection and <c>READ COMMITTED</c> transaction. Statements are sent unprepared, with their
/// parameters by position (<c>$1</c>, …), so the ledger works through PgBouncer in transaction mode; a data source
/// whose connection string sets <c>Max Auto Prepare</c> prepares them where that is safe. Writes nobody reads the outcome
/// of wait in a batch and go with the next statement, the <c>BEGIN</c> with the first and the last writes with the
/// <c>COMMIT</c>: an operation costs a round trip per read it makes, not per statement.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, CancellationToken cancellationToken) : ISqlSession
{
    /// <summary>
    /// PostgreSQL's dialect. An operation waits for its own customer's row, then for the global budgets' lock (a row
    /// lock on the ledger's id, held to the end of the transaction), and takes another customer's row only when no one
    /// holds it: every wait follows that one order, so two operations cannot wait on each other.
    /// </summary>
    public static readonly SqlDialect PostgresDialect = new()
    {
        LockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1 FOR UPDATE",
        TryLockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1 FOR UPDATE SKIP LOCKED",
        DueCustomers = "SELECT customer, last_activity, holds FROM agentbill_customers WHERE next_check <= $1 ORDER BY next_check LIMIT 4 FOR UPDATE SKIP LOCKED",
        LockGlobal = "UPDATE agentbill_meta SET value = value WHERE key = 'ledger_id'",
        // In the customer's row, which the operation holds already: approvals of different customers never queue on one row.
        CountActivity = "UPDATE agentbill_customers SET approved = approved + CASE WHEN $1 = 'approved' THEN 1 ELSE 0 END, refused = refused + CASE WHEN $1 = 'approved' THEN 0 ELSE 1 END WHERE customer = $2",
        RetireCustomer = "UPDATE agentbill_activity SET count = count + (SELECT CASE WHEN agentbill_activity.name = 'approved' THEN approved ELSE refused END FROM agentbill_customers WHERE customer = $1)",
        ReadActivity = "SELECT name, count FROM agentbill_activity UNION ALL SELECT 'approved', CAST(coalesce(sum(approved), 0) AS bigint) FROM agentbill_customers UNION ALL SELECT 'refused', CAST(coalesce(sum(refused), 0) AS bigint) FROM agentbill_customers",
    };

    private readonly List<NpgsqlBatchCommand> _pending = [new("BEGIN ISOLATION LEVEL READ COMMITTED")];

    public SqlDialect Dialect => PostgresDialect;

    /// <summary>Gets <see langword="true"/>: every read is a round trip to the server.</summary>
    public bool BatchesReads => true;

    public async ValueTask<DbDataReader> QueryBatchAsync(IReadOnlyList<(string Sql, object?[] Values)> queries)
    {
        var batch = PendingBatch();
        foreach (var (sql, values) in queries)
        {
            batch.BatchCommands.Add(BatchCommand(sql, values));
        }

        return await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Enqueue(string sql, params object?[] values) => _pending.Add(BatchCommand(sql, values));

    public async ValueTask<int> ExecuteAsync(string sql, params object?[] values)
    {
        var batch = Batch(sql, values);
        await using (batch.ConfigureAwait(false))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[^1].RecordsAffected;
        }
    }

    public async ValueTask<object?> ScalarAsync(string sql, params object?[] values)
    {
        var reader = await QueryAsync(sql, values).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) ? reader.GetValue(0) : null;
        }
    }

    public async ValueTask<DbDataReader> QueryAsync(string sql, params object?[] values)
    {
        // The writes before it return no rows, so the reader stands on this query's; disposing it ends the batch.
        var batch = Batch(sql, values);
        return await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the writes still waiting and commits them, in one round trip.</summary>
    public async ValueTask CommitAsync()
    {
        var batch = Batch("COMMIT", []);
        await using (batch.ConfigureAwait(false))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rolls back what the transaction did, when the connection still answers; a broken one is dropped by the pool and its transaction with it.</summary>
    public async ValueTask RollBackAsync()
    {
        _pending.Clear();
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            var command = new NpgsqlCommand("ROLLBACK", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // The connection failed meanwhile: the server ends the transaction with the session.
        }
    }

    private NpgsqlBatch Batch(string sql, object?[] values)
    {
        var batch = PendingBatch();
        batch.BatchCommands.Add(BatchCommand(sql, values));
        return batch;
    }

    /// <summary>A batch that starts with the writes still waiting, which leave the queue.</summary>
    private NpgsqlBatch PendingBatch()
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var pending in _pending)
        {
            batch.BatchCommands.Add(pending);
        }

        _pending.Clear();
        return batch;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
