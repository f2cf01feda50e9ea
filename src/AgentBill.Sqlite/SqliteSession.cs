using System.Data.Common;
using System.Globalization;
using AgentBill.SqlLedger;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite;

/// <summary>
/// One open connection to the ledger file and the commands prepared on it, reused by every operation that takes the
/// session. Parameters are written <c>$1</c>, <c>$2</c>, … in the SQL and passed by position. SQLite's calls do not
/// wait on a network, so the asynchronous ones of <see cref="ISqlSession"/> complete at once.
/// </summary>
internal sealed class SqliteSession(SqliteConnection connection) : ISqlSession, IDisposable
{
    /// <summary>SQLite's dialect: <c>BEGIN IMMEDIATE</c> has locked the whole file for the transaction, so no row is locked.</summary>
    private static readonly SqlDialect SqliteDialect = new()
    {
        LockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1",
        TryLockCustomer = "SELECT 1 FROM agentbill_customers WHERE customer = $1",
        DueCustomers = "SELECT customer, last_activity, holds FROM agentbill_customers WHERE next_check <= $1 ORDER BY next_check LIMIT 4",
        LockGlobal = null,
        CountActivity = "UPDATE agentbill_activity SET count = count + 1 WHERE name = $1",
        RetireCustomer = null,
        ReadActivity = "SELECT name, count FROM agentbill_activity",
    };

    private static readonly string[] Names = Enumerable.Range(1, 160).Select(i => "$" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public SqlDialect Dialect => SqliteDialect;

    /// <summary>Gets <see langword="false"/>: a read in the process costs no round trip, so each is made when it is needed.</summary>
    public bool BatchesReads => false;

    ValueTask<DbDataReader> ISqlSession.QueryBatchAsync(IReadOnlyList<(string Sql, object?[] Values)> queries)
        => throw new NotSupportedException("The SQLite session reads as it goes (BatchesReads is false): it is never asked for a batch.");

    /// <summary>Runs the write at once: there is no round trip to save.</summary>
    void ISqlSession.Enqueue(string sql, params object?[] values) => Execute(sql, values);

    ValueTask<int> ISqlSession.ExecuteAsync(string sql, params object?[] values) => new(Execute(sql, values));

    ValueTask<object?> ISqlSession.ScalarAsync(string sql, params object?[] values) => new(Scalar(sql, values));

    ValueTask<DbDataReader> ISqlSession.QueryAsync(string sql, params object?[] values) => new(Query(sql, values));

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<object?> values) => Prepare(sql, values).ExecuteNonQuery();

    /// <summary>Runs a query that reads one value, or <see langword="null"/> when it reads no row.</summary>
    public object? Scalar(string sql, params ReadOnlySpan<object?> values)
    {
        var value = Prepare(sql, values).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query; the reader must be disposed before the next command.</summary>
    public SqliteDataReader Query(string sql, params ReadOnlySpan<object?> values) => Prepare(sql, values).ExecuteReader();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, ReadOnlySpan<object?> values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter(Names[i], null));
            }

            _commands.Add(sql, command);
        }

        var parameters = command.Parameters;
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}
