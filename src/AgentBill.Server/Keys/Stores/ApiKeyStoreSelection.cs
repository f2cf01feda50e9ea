using AgentBill.Ledger;
using AgentBill.Postgres;
using AgentBill.Redis;
using AgentBill.Sqlite;

namespace AgentBill.Server.Keys.Stores;

/// <summary>
/// Keeps the keys where the ledger is: in its Redis, in its PostgreSQL database (the table its migration made), in a
/// SQLite file beside its own, or in memory beside an in-memory ledger. Keys shared by every server of a ledger follow
/// from that, and a deployment has one thing to back up.
/// </summary>
internal static class ApiKeyStoreSelection
{
    public static IApiKeyStore For(IBudgetLedger ledger) => Hosting.ServerStore.Of(ledger) switch
    {
        RedisBudgetLedger redis => new RedisApiKeyStore(redis.Connection, redis.KeyPrefix),
        PostgresBudgetLedger postgres => new PostgresApiKeyStore(postgres.DataSource),
        SqliteBudgetLedger sqlite => new SqliteApiKeyStore(KeysFileBeside(sqlite.FilePath)),
        _ => new InMemoryApiKeyStore(),
    };

    /// <summary>
    /// <c>ledger.db</c> → <c>ledger.keys.db</c>: a file of its own, because the ledger refuses a file holding tables it
    /// did not make (it never writes into another application's database), and keys may be made before the ledger.
    /// </summary>
    public static string KeysFileBeside(string ledgerPath)
        => Path.Combine(Path.GetDirectoryName(ledgerPath) ?? string.Empty, Path.GetFileNameWithoutExtension(ledgerPath) + ".keys.db");
}
