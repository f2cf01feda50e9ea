using StackExchange.Redis;

namespace AgentBill.Server.Keys.Stores;

/// <summary>
/// API keys in Redis, beside the ledger: one hash (<c>{prefix}:{keys}:api</c>, one slot, so Redis Cluster too) from
/// each key's SHA-256 to its record as JSON. Every server instance on the same Redis sees a new or revoked key at its
/// next request.
/// </summary>
public sealed class RedisApiKeyStore : IApiKeyStore
{
    // Sets a record only if it is still the one read: two revocations at once keep the first one's time.
    private const string CompareAndSet = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
          return 1
        end
        return 0
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _key;

    /// <summary>Creates the store over a connection the caller owns.</summary>
    /// <param name="redis">The connection (the ledger's).</param>
    /// <param name="keyPrefix">The ledger's key prefix (<see cref="AgentBill.Redis.RedisLedgerOptions.KeyPrefix"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="keyPrefix"/> is empty.</exception>
    public RedisApiKeyStore(IConnectionMultiplexer redis, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        _redis = redis;
        _key = $"{keyPrefix}:{{keys}}:api";
    }

    private IDatabase Database => _redis.GetDatabase();

    /// <inheritdoc/>
    public async ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var json = await RedisKeyCalls.Run(() => Database.HashGetAsync(_key, hash)).ConfigureAwait(false);
        return json.IsNull ? null : ApiKeyJson.Read(json.ToString());
    }

    /// <inheritdoc/>
    public async ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!await RedisKeyCalls.Run(() => Database.HashSetAsync(_key, record.Hash, ApiKeyJson.Write(record), When.NotExists)).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A key with the hash of key '{record.Id}' is already stored.");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var values = await RedisKeyCalls.Run(() => Database.HashValuesAsync(_key)).ConfigureAwait(false);
        return [.. values.Select(static value => ApiKeyJson.Read(value.ToString())).OrderBy(static key => key.CreatedAt).ThenBy(static key => key.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        while (true)
        {
            var record = (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(key => key.Id == id);
            if (record is null)
            {
                return false;
            }

            if (record.RevokedAt is not null)
            {
                return true;
            }

            var swapped = await RedisKeyCalls.Run(() => Database.ScriptEvaluateAsync(
                CompareAndSet, [_key], [record.Hash, ApiKeyJson.Write(record), ApiKeyJson.Write(record with { RevokedAt = at })])).ConfigureAwait(false);
            if ((long)swapped == 1)
            {
                return true;
            }
        }
    }
}
