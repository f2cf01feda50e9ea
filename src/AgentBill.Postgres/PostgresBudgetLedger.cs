using AgentBill.Ledger;
using AgentBill.SqlLedger;
using Npgsql;

namespace AgentBill.Postgres;

/// <summary>
/// A ledger in a PostgreSQL database, shared by every process and server that connects to it: each operation is one
/// <c>READ COMMITTED</c> transaction that locks the rows it decides on (its customer's, and the global budgets' when
/// one applies), so operations on different customers run side by side and those on one customer take turns, and a
/// commit PostgreSQL acknowledged is as durable as the database is. The decisions are <see cref="BudgetRules"/>', on
/// the same tables and statements as the SQLite store's (<c>AgentBill.Sqlite</c>).
/// </summary>
/// <remarks>
/// The tables are made by <see cref="MigrateAsync"/> (or <c>agentbill ledger init --postgres</c>), never by an
/// operation: each ledger object checks the schema version once and refuses a database that is not at it. A database
/// that cannot be reached, a connection lost mid-operation, and a server shutting down throw
/// <see cref="AgentBillUnavailableException"/> (the operation either committed whole or not at all; a retried command
/// with an idempotency key replays). No session state is used, so a transaction-mode PgBouncer may stand in between.
/// </remarks>
public sealed partial class PostgresBudgetLedger : IBudgetLedger, IBudgetLedgerReports
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLedgerOptions _options;
    private readonly long _retentionTicks;
    private readonly bool _serverClock;
    private volatile bool _schemaChecked;

    /// <summary>Uses the ledger in the database a data source connects to; its tables must have been made by <see cref="MigrateAsync"/>.</summary>
    /// <param name="dataSource">The data source; the caller owns and disposes it.</param>
    /// <param name="options">The other settings, or <see langword="null"/> for the defaults; its <see cref="PostgresLedgerOptions.ConnectionString"/> is ignored.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public PostgresBudgetLedger(NpgsqlDataSource dataSource, PostgresLedgerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgresLedgerOptions();
        PostgresLedgerOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _dataSource = dataSource;
        _options = options;
        _retentionTicks = options.UsageRetention.Ticks;
        _serverClock = options.Clock == PostgresClock.Server;
    }

    /// <summary>Gets the data source the ledger connects through (the budget server keeps its API keys in the same database).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Makes the ledger's tables in the database a data source connects to, or upgrades them to this library's
    /// schema version, in one transaction; a database already at it is left as it is. Concurrent migrations take turns.
    /// </summary>
    /// <param name="dataSource">The data source; its login needs the right to create tables.</param>
    /// <param name="cancellationToken">Cancels the migration (nothing is changed then).</param>
    /// <returns>The schema version the database was at before: 0 for a database that held no ledger.</returns>
    /// <exception cref="PostgresLedgerSchemaException">The database holds a newer schema, or tables named like the ledger's that are not; nothing was changed.</exception>
    /// <exception cref="AgentBillUnavailableException">The database cannot be reached.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        try
        {
            return await PostgresSchema.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw PostgresFailures.Translate(ex, DatabaseOf(dataSource), schemaSeen: false);
        }
    }

    /// <summary>Runs one operation in its own transaction, again when PostgreSQL stopped it to break a deadlock or a serialization conflict.</summary>
    private async ValueTask<T> RunAsync<TState, T>(TState state, Func<LedgerTransaction, TState, ValueTask<T>> body, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(state, body, now, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (PostgresFailures.IsConflict(ex) && attempt < _options.MaxConflictRetries)
            {
                // Rolled back whole: running it again is the same as running it for the first time.
            }
            catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw PostgresFailures.Translate(ex, DatabaseOf(_dataSource), _schemaChecked);
            }
        }
    }

    private async ValueTask<T> RunOnceAsync<TState, T>(TState state, Func<LedgerTransaction, TState, ValueTask<T>> body, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!_schemaChecked)
            {
                await PostgresSchema.CheckAsync(connection, cancellationToken).ConfigureAwait(false);
                _schemaChecked = true;
            }

            var session = new PostgresSession(connection, cancellationToken);
            try
            {
                var clientTicks = (now ?? DateTimeOffset.MinValue).UtcTicks;
                var ticks = _serverClock ? await ServerTicksAsync(session).ConfigureAwait(false) : clientTicks;
                var tx = new LedgerTransaction(session, ticks, clientTicks, _serverClock && now is not null ? Skewed : null, _retentionTicks);
                var result = await body(tx, state).ConfigureAwait(false);
                tx.Flush();
                await session.CommitAsync().ConfigureAwait(false);
                return result;
            }
            catch
            {
                await session.RollBackAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static PostgresClockSkewException Skewed(TimeSpan skew) => new(skew);

    /// <summary>The reports' now under the client's clock; under the server's, the transaction reads the database's.</summary>
    private DateTimeOffset ReportsNow() => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();

    /// <summary>The database's time, in UTC ticks: <c>clock_timestamp()</c> in microseconds since 1970.</summary>
    private static async ValueTask<long> ServerTicksAsync(ISqlSession session)
    {
        var micros = (long)(await session.ScalarAsync("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS bigint)").ConfigureAwait(false))!;
        return DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10);
    }

    private static string DatabaseOf(NpgsqlDataSource dataSource)
        => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "(the login's default)";
}
