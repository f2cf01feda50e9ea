using System.Collections.Concurrent;

namespace AgentBill.Server.Keys.Stores;

/// <summary>Keys kept in this process only: for tests and a server over the in-memory store (both forget on restart).</summary>
public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _byHash = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return ValueTask.FromResult(_byHash.TryGetValue(hash, out var record) ? record : null);
    }

    /// <inheritdoc />
    public ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_byHash.TryAdd(record.Hash, record))
        {
            throw new InvalidOperationException($"A key with the hash of key '{record.Id}' is already stored.");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _byHash.Values.OrderBy(static key => key.CreatedAt).ThenBy(static key => key.Id, StringComparer.Ordinal)]);

    /// <inheritdoc />
    public ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var (hash, record) in _byHash)
        {
            if (record.Id == id)
            {
                if (record.RevokedAt is null)
                {
                    _byHash.TryUpdate(hash, record with { RevokedAt = at }, record);
                }

                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }
}
