using System.Globalization;
using Npgsql;

namespace AgentBill.Postgres;

/// <summary>
/// The ledger's tables in the connection's default schema, made and upgraded only by an explicit migration
/// (<see cref="PostgresBudgetLedger.MigrateAsync"/>), with a version in <c>agentbill_meta</c> and one migration per
/// version step. Operations check the version once per ledger object and refuse a database that is not at it.
/// </summary>
/// <remarks>
/// The same tables as the SQLite store's, so both run the same statements: times are UTC ticks, a customer scope has
/// the name <c>''</c> and the global scope the customer <c>''</c> too. Texts are compared byte by byte
/// (<c>COLLATE "C"</c>), so report cursors page the same whatever the database's locale. Activity is counted in each
/// customer's row (which the deciding operation holds already), so approvals of different customers never queue on
/// one row; a customer deleted for idleness leaves its counts in <c>agentbill_activity</c>.
/// </remarks>
internal static class PostgresSchema
{
    /// <summary>The schema version this library writes and understands.</summary>
    public const int CurrentVersion = 1;

    private const string Text = "text COLLATE \"C\" NOT NULL";

    /// <summary>The statements that take a database from version <c>i</c> to <c>i + 1</c>; index 0 makes a new ledger.</summary>
    private static readonly string[][] Migrations =
    [
        [
            $"CREATE TABLE agentbill_budgets (customer {Text}, kind integer NOT NULL, name {Text}, meter integer NOT NULL, limit_units bigint NOT NULL, period integer NOT NULL, PRIMARY KEY (customer, kind, name, meter))",
            $"CREATE TABLE agentbill_usage (customer {Text}, kind integer NOT NULL, name {Text}, meter integer NOT NULL, period {Text}, used bigint NOT NULL, reserved bigint NOT NULL, alerted integer NOT NULL, touched bigint NOT NULL, PRIMARY KEY (customer, kind, name, meter, period))",
            $"CREATE TABLE agentbill_customers (customer {Text} PRIMARY KEY, last_activity bigint NOT NULL, next_check bigint NOT NULL, holds bigint NOT NULL, seq bigint NOT NULL, approved bigint NOT NULL DEFAULT 0, refused bigint NOT NULL DEFAULT 0)",
            "CREATE INDEX agentbill_customers_check ON agentbill_customers (next_check)",
            $"CREATE TABLE agentbill_holds (customer {Text}, id {Text}, seq bigint NOT NULL, agent {Text}, task text COLLATE \"C\", meter integer NOT NULL, units bigint NOT NULL, expires bigint NOT NULL, day {Text}, week {Text}, month {Text}, global bigint NOT NULL, PRIMARY KEY (customer, id))",
            "CREATE INDEX agentbill_holds_expiry ON agentbill_holds (customer, expires)",
            "CREATE INDEX agentbill_holds_oldest ON agentbill_holds (customer, agent, meter, task, seq)",
            "CREATE INDEX agentbill_holds_global ON agentbill_holds (expires) WHERE global = 1",
            "CREATE INDEX agentbill_holds_expires ON agentbill_holds (expires)",
            $"CREATE TABLE agentbill_answers (customer {Text}, key {Text}, fingerprint text NOT NULL, outcome text NOT NULL, forget_at bigint NOT NULL, PRIMARY KEY (customer, key))",
            "CREATE INDEX agentbill_answers_forget ON agentbill_answers (forget_at)",
            $"CREATE TABLE agentbill_refusals (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer {Text}, at bigint NOT NULL, agent text NOT NULL, task text, meter integer NOT NULL, reason integer NOT NULL, scope_kind integer, scope_name text, requested bigint NOT NULL, remaining bigint)",
            "CREATE INDEX agentbill_refusals_customer ON agentbill_refusals (customer, id)",
            $"CREATE TABLE agentbill_activity (name {Text} PRIMARY KEY, count bigint NOT NULL)",
            "INSERT INTO agentbill_activity (name, count) VALUES ('approved', 0), ('refused', 0)",
            // The budget server's API keys (AgentBill.Server), kept beside the ledger they open: one database to back up.
            $"CREATE TABLE agentbill_api_keys (hash {Text} PRIMARY KEY, id {Text} UNIQUE, record text NOT NULL, created_at bigint NOT NULL, revoked_at bigint)",
        ],
    ];

    /// <summary>
    /// Makes or upgrades the tables in one transaction, under a lock that makes concurrent migrations take turns.
    /// Returns the version the database was at.
    /// </summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(1095188017, 0)", cancellationToken).ConfigureAwait(false);
                var version = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
                if (version > CurrentVersion)
                {
                    throw Newer(connection.Database, version);
                }

                if (version == 0)
                {
                    await ExecuteAsync(connection, $"CREATE TABLE agentbill_meta (key {Text} PRIMARY KEY, value text NOT NULL)", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, $"INSERT INTO agentbill_meta (key, value) VALUES ('ledger_id', '{Guid.NewGuid():N}'), ('schema_version', '0')", cancellationToken).ConfigureAwait(false);
                }

                for (var step = version; step < CurrentVersion; step++)
                {
                    foreach (var statement in Migrations[step])
                    {
                        await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
                    }
                }

                await ExecuteAsync(connection, $"UPDATE agentbill_meta SET value = '{CurrentVersion.ToString(CultureInfo.InvariantCulture)}' WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return version;
            }
        }
    }

    /// <summary>Throws unless the database holds this library's schema at its current version.</summary>
    public static async Task CheckAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (version == CurrentVersion)
        {
            return;
        }

        throw version switch
        {
            0 => new PostgresLedgerSchemaException(connection.Database, "it holds no AgentBill ledger yet (make its tables with PostgresBudgetLedger.MigrateAsync or `agentbill ledger init --postgres`)"),
            > CurrentVersion => Newer(connection.Database, version),
            _ => new PostgresLedgerSchemaException(connection.Database, $"its ledger is at schema version {version}, older than version {CurrentVersion} that this AgentBill.Postgres uses (run PostgresBudgetLedger.MigrateAsync or `agentbill ledger init --postgres`)"),
        };
    }

    /// <summary>The database's schema version: 0 when it holds no ledger. Refuses tables of the same names that are not a ledger's.</summary>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var hasMeta = await ScalarAsync(connection, "SELECT to_regclass('agentbill_meta') IS NOT NULL", cancellationToken).ConfigureAwait(false) is true;
        if (!hasMeta)
        {
            var others = Convert.ToInt64(await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'agentbill\\_%'", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return others == 0
                ? 0
                : throw new PostgresLedgerSchemaException(connection.Database, $"it has {others} tables named agentbill_* but no agentbill_meta table: they are not an AgentBill ledger's, and AgentBill does not write into them");
        }

        var text = await ScalarAsync(connection, "SELECT value FROM agentbill_meta WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false) as string;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new PostgresLedgerSchemaException(connection.Database, $"its agentbill_meta table holds no readable schema version ('{text}')");
    }

    private static PostgresLedgerSchemaException Newer(string database, int version)
        => new(database, $"its ledger is at schema version {version}, newer than version {CurrentVersion} that this AgentBill.Postgres understands (upgrade the package)");

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
