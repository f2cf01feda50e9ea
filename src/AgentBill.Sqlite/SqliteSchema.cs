using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite;

/// <summary>
/// The ledger's tables, made on first use, with a version in <c>agentbill_meta</c> and one migration per version
/// step. A file is checked before anything is written to it: another format, another application's database or a
/// newer schema is refused and left as it was.
/// </summary>
/// <remarks>
/// Times are UTC ticks. Scopes are (customer, kind, name, meter): a customer scope has the name <c>''</c> and the
/// global scope the customer <c>''</c> too (ids are never empty). Usage and reserved units are one row per scope and
/// period name ('all', a day, a week, a month): a hold adds its units to the rows of the periods it was approved in,
/// so a new period's budget sees only its own holds.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this library writes and understands.</summary>
    public const int CurrentVersion = 2;

    public const string MetaTable = "agentbill_meta";

    /// <summary>The statements that take a file from version <c>i</c> to <c>i + 1</c>; index 0 makes a new ledger.</summary>
    private static readonly string[][] Migrations =
    [
        [
            "CREATE TABLE agentbill_budgets (customer TEXT NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL, meter INTEGER NOT NULL, limit_units INTEGER NOT NULL, period INTEGER NOT NULL, PRIMARY KEY (customer, kind, name, meter)) WITHOUT ROWID",
            "CREATE TABLE agentbill_usage (customer TEXT NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL, meter INTEGER NOT NULL, period TEXT NOT NULL, used INTEGER NOT NULL, reserved INTEGER NOT NULL, alerted INTEGER NOT NULL, touched INTEGER NOT NULL, PRIMARY KEY (customer, kind, name, meter, period)) WITHOUT ROWID",
            "CREATE TABLE agentbill_customers (customer TEXT NOT NULL PRIMARY KEY, last_activity INTEGER NOT NULL, next_check INTEGER NOT NULL, holds INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX agentbill_customers_check ON agentbill_customers (next_check)",
            "CREATE TABLE agentbill_holds (customer TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, agent TEXT NOT NULL, task TEXT, meter INTEGER NOT NULL, units INTEGER NOT NULL, expires INTEGER NOT NULL, day TEXT NOT NULL, week TEXT NOT NULL, month TEXT NOT NULL, global INTEGER NOT NULL, PRIMARY KEY (customer, id)) WITHOUT ROWID",
            "CREATE INDEX agentbill_holds_expiry ON agentbill_holds (customer, expires)",
            "CREATE INDEX agentbill_holds_oldest ON agentbill_holds (customer, agent, meter, task, seq)",
            "CREATE INDEX agentbill_holds_global ON agentbill_holds (expires) WHERE global = 1",
            "CREATE TABLE agentbill_answers (customer TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, outcome TEXT NOT NULL, forget_at INTEGER NOT NULL, PRIMARY KEY (customer, key))",
            "CREATE INDEX agentbill_answers_forget ON agentbill_answers (forget_at)",
        ],
        [
            // Version 2: the reports. A capped per-customer log of refusals (ids only grow, so they order refusals
            // across customers), the two activity totals, and holds by expiry for the expired-hold sweep.
            "CREATE TABLE agentbill_refusals (id INTEGER PRIMARY KEY AUTOINCREMENT, customer TEXT NOT NULL, at INTEGER NOT NULL, agent TEXT NOT NULL, task TEXT, meter INTEGER NOT NULL, reason INTEGER NOT NULL, scope_kind INTEGER, scope_name TEXT, requested INTEGER NOT NULL, remaining INTEGER)",
            "CREATE INDEX agentbill_refusals_customer ON agentbill_refusals (customer, id)",
            "CREATE TABLE agentbill_activity (name TEXT NOT NULL PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID",
            "INSERT INTO agentbill_activity (name, count) VALUES ('approved', 0), ('refused', 0)",
            "CREATE INDEX agentbill_holds_expires ON agentbill_holds (expires)",
        ],
    ];

    /// <summary>Checks the file, sets WAL, and makes or migrates the schema. Returns the ledger's id.</summary>
    /// <exception cref="SqliteLedgerFileException">The file cannot be used; nothing was written to it.</exception>
    public static string Ensure(SqliteConnection connection, string path)
    {
        // Reads first: a file of another format or a newer schema is refused before anything is written.
        var version = ReadVersion(connection, path);
        if (version > CurrentVersion)
        {
            throw new SqliteLedgerFileException(path, $"its schema version is {version}, newer than version {CurrentVersion} that this AgentBill.Sqlite understands (upgrade the package)");
        }

        var mode = Scalar(connection, "PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new SqliteLedgerFileException(path, $"SQLite cannot put it in WAL mode (journal mode stays '{mode}')");
        }

        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            // Again inside the write lock: another process may have made or migrated the schema meanwhile.
            version = ReadVersion(connection, path);
            if (version > CurrentVersion)
            {
                throw new SqliteLedgerFileException(path, $"its schema version is {version}, newer than version {CurrentVersion} that this AgentBill.Sqlite understands (upgrade the package)");
            }

            if (!HasMeta(connection))
            {
                Execute(connection, $"CREATE TABLE {MetaTable} (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
                Execute(connection, $"INSERT INTO {MetaTable} (key, value) VALUES ('ledger_id', '{Guid.NewGuid():N}')");
                Execute(connection, $"INSERT INTO {MetaTable} (key, value) VALUES ('schema_version', '0')");
            }

            for (var step = version; step < CurrentVersion; step++)
            {
                foreach (var statement in Migrations[step])
                {
                    Execute(connection, statement);
                }
            }

            if (version < CurrentVersion)
            {
                Execute(connection, $"UPDATE {MetaTable} SET value = '{CurrentVersion.ToString(CultureInfo.InvariantCulture)}' WHERE key = 'schema_version'");
            }

            var id = (string)Scalar(connection, $"SELECT value FROM {MetaTable} WHERE key = 'ledger_id'")!;
            Execute(connection, "COMMIT");
            return id;
        }
        catch
        {
            Execute(connection, "ROLLBACK");
            throw;
        }
    }

    /// <summary>Reads the ledger's id without writing (a connection opened after the first).</summary>
    public static string? ReadLedgerId(SqliteConnection connection)
        => HasMeta(connection) ? Scalar(connection, $"SELECT value FROM {MetaTable} WHERE key = 'ledger_id'") as string : null;

    /// <summary>The file's schema version: 0 for a new, empty database.</summary>
    private static int ReadVersion(SqliteConnection connection, string path)
    {
        if (!HasMeta(connection))
        {
            var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master"), CultureInfo.InvariantCulture);
            return tables == 0
                ? 0
                : throw new SqliteLedgerFileException(path, $"it is a SQLite database of another application ({tables} objects and no '{MetaTable}' table), which AgentBill does not write into");
        }

        var text = Scalar(connection, $"SELECT value FROM {MetaTable} WHERE key = 'schema_version'") as string;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new SqliteLedgerFileException(path, $"its '{MetaTable}' table holds no readable schema version ('{text}')");
    }

    private static bool HasMeta(SqliteConnection connection)
        => Scalar(connection, $"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{MetaTable}'") is not null;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
