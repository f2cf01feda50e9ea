namespace AgentBill.Server.Keys;

/// <summary>Makes, lists and revokes API keys over the registered <see cref="IApiKeyStore"/>.</summary>
public sealed class ApiKeys
{
    private readonly IApiKeyStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the key service over <paramref name="store"/>.</summary>
    public ApiKeys(IApiKeyStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The store the keys live in.</summary>
    public IApiKeyStore Store => _store;

    /// <summary>Makes a key. Its secret is in the result and nowhere else: the store keeps only its hash.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, over 128 characters or has control characters; or <paramref name="expiresAt"/> is not in the future.</exception>
    public async ValueTask<IssuedApiKey> CreateAsync(string name, ApiKeyScope scope, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "The scope is Metering or Admin.");
        }

        var now = _time.GetUtcNow();
        if (expiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException("A key's expiry must be in the future.", nameof(expiresAt));
        }

        var secret = ApiKeyFormat.NewKey();
        var hash = ApiKeyFormat.Hash(secret);
        var record = new ApiKeyRecord(hash[..16], hash, name, scope, secret[..8], secret[^4..], now, expiresAt);
        await _store.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return new IssuedApiKey(secret, record);
    }

    /// <summary>The active key <paramref name="key"/> is, or <see langword="null"/> when it is malformed, unknown, revoked or expired.</summary>
    public async ValueTask<ApiKeyRecord?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (key is null || !ApiKeyFormat.IsWellFormed(key))
        {
            return null;
        }

        var record = await _store.FindAsync(ApiKeyFormat.Hash(key), cancellationToken).ConfigureAwait(false);
        return record is not null && record.IsActive(_time.GetUtcNow()) ? record : null;
    }

    /// <summary>Every key, revoked ones included.</summary>
    public ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>Revokes the key with <paramref name="id"/>; <see langword="false"/> when there is none.</summary>
    public ValueTask<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return _store.RevokeAsync(id, _time.GetUtcNow(), cancellationToken);
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 128 || name.Any(char.IsControl))
        {
            throw new ArgumentException("A key's name is 1 to 128 characters without control characters.", nameof(name));
        }
    }
}
