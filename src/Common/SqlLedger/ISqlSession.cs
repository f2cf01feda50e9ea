using System.Data.Common;

namespace AgentBill.SqlLedger;

/// <summary>
/// One operation's connection, inside the transaction the store opened for it. Parameters are written <c>$1</c>,
/// <c>$2</c>, … in the SQL and passed by position; the SQL is the same for every store except what
/// <see cref="Dialect"/> holds.
/// </summary>
internal interface ISqlSession
{
    /// <summary>
    /// Gets whether reads cost a round trip each, so an operation should read what it will need in one batch
    /// (<see cref="QueryBatchAsync"/>): PostgreSQL across a network, not SQLite in the process.
    /// </summary>
    bool BatchesReads { get; }

    /// <summary>Gets the statements that differ between databases: how rows are locked, how activity is counted.</summary>
    SqlDialect Dialect { get; }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    ValueTask<int> ExecuteAsync(string sql, params object?[] values);

    /// <summary>
    /// Runs a write whose outcome nobody reads, before the next statement: a store may send it with that statement
    /// (or with the commit) in one round trip. A failure surfaces there, and fails the operation the same way.
    /// </summary>
    void Enqueue(string sql, params object?[] values);

    /// <summary>Runs a query that reads one value, or <see langword="null"/> when it reads no row (or a SQL null).</summary>
    ValueTask<object?> ScalarAsync(string sql, params object?[] values);

    /// <summary>Runs queries in one round trip; the reader stands on the first one's rows and moves to the next with <c>NextResultAsync</c>.</summary>
    ValueTask<DbDataReader> QueryBatchAsync(IReadOnlyList<(string Sql, object?[] Values)> queries);

    /// <summary>Runs a query; the reader must be disposed before the next command.</summary>
    ValueTask<DbDataReader> QueryAsync(string sql, params object?[] values);
}
