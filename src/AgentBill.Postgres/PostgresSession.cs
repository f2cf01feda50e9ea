using System.Data.Common;
using AgentBill.SqlLedger;
using Npgsql;

namespace AgentBill.Postgres;

/// <summary>
/// One operation's connection and <c>READ COMMITTED</c> transaction. Statements are sent unprepared, with their
/// parameters by position (<c>$1</c>, …), so the ledger works through PgBouncer in transaction mode; a data source
/// whose connection string sets <c>Max Auto Prepare</c> prepares them where that is safe.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) : ISqlSession
{
    /// <summary>
    /// PostgreSQL's dialect. An operation waits for its own customer's row, then for the global budgets' lock (an
    /// advisory lock held to the end of the transaction, which PgBouncer's transaction mode keeps), and takes another
    /// customer's row only when no one holds it: every wait follows that one order, so two operations cannot wait on
    /// each other.
    /// </summary>
    public static readonly SqlDialect PostgresDialect = new()
    {
        LockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1 FOR UPDATE",
        TryLockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1 FOR UPDATE SKIP LOCKED",
        DueCustomers = "SELECT customer, last_activity, holds FROM agentbill_customers WHERE next_check <= $1 ORDER BY next_check LIMIT 4 FOR UPDATE SKIP LOCKED",
        LockGlobal = "SELECT pg_advisory_xact_lock(1095188017, 1)",
        CountActivity = $"UPDATE agentbill_activity SET count = count + 1 WHERE name = $1 AND shard = (hashtext($2) & {PostgresSchema.ActivityShards - 1})",
    };

    public SqlDialect Dialect => PostgresDialect;

    public async ValueTask<int> ExecuteAsync(string sql, params object?[] values)
    {
        var command = Command(sql, values);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<object?> ScalarAsync(string sql, params object?[] values)
    {
        var command = Command(sql, values);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    public async ValueTask<DbDataReader> QueryAsync(string sql, params object?[] values)
    {
        // The reader closes the command's work when it is disposed; the command itself holds nothing to free.
        var command = Command(sql, values);
        return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string sql, object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
