using Microsoft.Data.Sqlite;

namespace AgentBill.Server.Keys.Stores;

/// <summary>
/// API keys in a SQLite file beside the ledger's (<c>ledger.keys.db</c> beside <c>ledger.db</c>): a table <c>agentbill_api_keys</c>
/// from each key's SHA-256 to its record. Every server process on the file sees a new or revoked key at its next
/// request.
/// </summary>
public sealed class SqliteApiKeyStore : IApiKeyStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS agentbill_api_keys (
          hash TEXT PRIMARY KEY NOT NULL,
          id TEXT NOT NULL UNIQUE,
          record TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          revoked_at INTEGER NULL
        ) WITHOUT ROWID;
        """;

    private readonly string _connectionString;
    private int _created;

    /// <summary>Creates the store in the file at <paramref name="path"/> (its table is made at first use).</summary>
    /// <param name="path">The SQLite file of the keys (not the ledger's own: the ledger refuses tables it did not make).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteApiKeyStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = true, DefaultTimeout = 5 }.ToString();
    }

    // Microsoft.Data.Sqlite runs every call synchronously (its async methods too): the store does the same, plainly.

    /// <inheritdoc/>
    public ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return ValueTask.FromResult(Read("SELECT record FROM agentbill_api_keys WHERE hash = $p", hash).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO agentbill_api_keys (hash, id, record, created_at) VALUES ($hash, $id, $record, $created) ON CONFLICT DO NOTHING";
        command.Parameters.AddWithValue("$hash", record.Hash);
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$record", ApiKeyJson.Write(record));
        command.Parameters.AddWithValue("$created", record.CreatedAt.UtcTicks);
        if (Guard(command.ExecuteNonQuery) == 0)
        {
            throw new InvalidOperationException($"A key with the hash or id of key '{record.Id}' is already stored.");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<ApiKeyRecord>>(Read("SELECT record FROM agentbill_api_keys ORDER BY created_at, id", null));

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT record FROM agentbill_api_keys WHERE id = $id";
        read.Parameters.AddWithValue("$id", id);
        if (Guard(read.ExecuteScalar) is not string json)
        {
            return ValueTask.FromResult(false);
        }

        var record = ApiKeyJson.Read(json);
        if (record.RevokedAt is null)
        {
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE agentbill_api_keys SET record = $record, revoked_at = $at WHERE id = $id AND revoked_at IS NULL";
            write.Parameters.AddWithValue("$record", ApiKeyJson.Write(record with { RevokedAt = at }));
            write.Parameters.AddWithValue("$at", at.UtcTicks);
            write.Parameters.AddWithValue("$id", id);
            Guard(write.ExecuteNonQuery);
        }

        Guard(() =>
        {
            transaction.Commit();
            return 0;
        });
        return ValueTask.FromResult(true);
    }

    private List<ApiKeyRecord> Read(string sql, string? parameter)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$p", parameter);
        }

        var records = new List<ApiKeyRecord>();
        using var reader = Guard(command.ExecuteReader);
        while (reader.Read())
        {
            records.Add(ApiKeyJson.Read(reader.GetString(0)));
        }

        return records;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            Guard(() =>
            {
                connection.Open();
                return 0;
            });
            if (Volatile.Read(ref _created) == 0)
            {
                using var create = connection.CreateCommand();
                create.CommandText = Schema;
                Guard(create.ExecuteNonQuery);
                Volatile.Write(ref _created, 1);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A locked or unreadable file is an outage of the key store, answered 503 like the ledger's, never 401.
    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (SqliteException ex)
        {
            throw new AgentBillUnavailableException("The SQLite file of the server's API keys did not answer: " + ex.Message, ex);
        }
    }
}
