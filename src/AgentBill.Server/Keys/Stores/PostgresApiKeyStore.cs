using AgentBill.Postgres;
using Npgsql;

namespace AgentBill.Server.Keys.Stores;

/// <summary>
/// API keys in the PostgreSQL ledger's own database: the table <c>agentbill_api_keys</c>, from each key's SHA-256 to
/// its record as JSON, made by the ledger's migration (<see cref="PostgresBudgetLedger.MigrateAsync"/> or
/// <c>agentbill ledger init --postgres</c>) and never by this store, so the schema has one owner and one version.
/// Every server on the database sees a new or revoked key at its next request, and one backup holds budgets and keys.
/// </summary>
public sealed class PostgresApiKeyStore : IApiKeyStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _database;

    /// <summary>Creates the store over a data source the caller owns (the ledger's, so keys and budgets share a database and its pool).</summary>
    /// <param name="dataSource">The data source of the ledger's database; its tables must have been made by the ledger's migration.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgresApiKeyStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "(the login's default)";
    }

    /// <inheritdoc/>
    /// <exception cref="PostgresLedgerSchemaException">The database holds no ledger (its migration never ran).</exception>
    /// <exception cref="AgentBillUnavailableException">The database did not answer.</exception>
    public async ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var records = await ReadAsync("SELECT record FROM agentbill_api_keys WHERE hash = $1", hash, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    /// <inheritdoc/>
    /// <exception cref="PostgresLedgerSchemaException">The database holds no ledger (its migration never ran).</exception>
    /// <exception cref="AgentBillUnavailableException">The database did not answer.</exception>
    public async ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);

        // ON CONFLICT without a target covers both the hash (primary key) and the id (unique): either one taken adds nothing.
        var inserted = await GuardAsync(
            async () =>
            {
                var command = _dataSource.CreateCommand("INSERT INTO agentbill_api_keys (hash, id, record, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = record.Hash });
                    command.Parameters.Add(new NpgsqlParameter { Value = record.Id });
                    command.Parameters.Add(new NpgsqlParameter { Value = ApiKeyJson.Write(record) });
                    command.Parameters.Add(new NpgsqlParameter { Value = record.CreatedAt.UtcTicks });
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (inserted == 0)
        {
            throw new InvalidOperationException($"A key with the hash or id of key '{record.Id}' is already stored.");
        }
    }

    /// <inheritdoc/>
    /// <exception cref="PostgresLedgerSchemaException">The database holds no ledger (its migration never ran).</exception>
    /// <exception cref="AgentBillUnavailableException">The database did not answer.</exception>
    public async ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        // id is COLLATE "C": ties on the creation time are broken byte by byte, as the other stores break them ordinally.
        return await ReadAsync("SELECT record FROM agentbill_api_keys ORDER BY created_at, id", null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="PostgresLedgerSchemaException">The database holds no ledger (its migration never ran).</exception>
    /// <exception cref="AgentBillUnavailableException">The database did not answer.</exception>
    public ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new ValueTask<bool>(GuardAsync(() => RevokeCoreAsync(id, at, cancellationToken), cancellationToken));
    }

    // The record's JSON carries the revocation time too, so the update needs the record read first: the read locks the
    // row (FOR UPDATE) until the commit, so a second revocation at once waits, then reads the first one's record and
    // keeps its time. The "revoked_at IS NULL" of the update says the same once more, in the statement itself.
    private async Task<bool> RevokeCoreAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                string? json;
                var read = new NpgsqlCommand("SELECT record FROM agentbill_api_keys WHERE id = $1 FOR UPDATE", connection, transaction);
                await using (read.ConfigureAwait(false))
                {
                    read.Parameters.Add(new NpgsqlParameter { Value = id });
                    json = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                }

                if (json is null)
                {
                    // Nothing was changed: disposing the transaction rolls it back.
                    return false;
                }

                var record = ApiKeyJson.Read(json);
                if (record.RevokedAt is null)
                {
                    var write = new NpgsqlCommand("UPDATE agentbill_api_keys SET record = $2, revoked_at = $3 WHERE id = $1 AND revoked_at IS NULL", connection, transaction);
                    await using (write.ConfigureAwait(false))
                    {
                        write.Parameters.Add(new NpgsqlParameter { Value = id });
                        write.Parameters.Add(new NpgsqlParameter { Value = ApiKeyJson.Write(record with { RevokedAt = at }) });
                        write.Parameters.Add(new NpgsqlParameter { Value = at.UtcTicks });
                        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private Task<List<ApiKeyRecord>> ReadAsync(string sql, string? parameter, CancellationToken cancellationToken) => GuardAsync(
        async () =>
        {
            var command = _dataSource.CreateCommand(sql);
            await using (command.ConfigureAwait(false))
            {
                if (parameter is not null)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = parameter });
                }

                var records = new List<ApiKeyRecord>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        records.Add(ApiKeyJson.Read(reader.GetString(0)));
                    }
                }

                return records;
            }
        },
        cancellationToken);

    // A database that does not answer is an outage of the key store, answered 503 like the ledger's, never 401. A
    // database without the table is not an outage but a ledger never made: retrying would not help, so it says what to run.
    // A cancelled call stays a cancellation (Npgsql may surface it as its own exception).
    private async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new PostgresLedgerSchemaException(_database, "it holds no AgentBill ledger yet (run `agentbill ledger init --postgres`)", ex);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentBillUnavailableException("The PostgreSQL database of the server's API keys did not answer: " + ex.Message, ex);
        }
    }
}
