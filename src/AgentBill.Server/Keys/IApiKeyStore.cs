namespace AgentBill.Server.Keys;

/// <summary>
/// Where the server keeps its API keys, as hashes only. Every request reads its key here (no cache), so a revocation
/// is effective on the very next request, on every server instance sharing the store.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>The key whose SHA-256 is <paramref name="hash"/>, or <see langword="null"/> when there is none.</summary>
    ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Adds a key. Adding a hash that is already there is an error (<see cref="InvalidOperationException"/>).</summary>
    ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes the key with <paramref name="id"/>; <see langword="false"/> when no such key exists. Revoking twice keeps the first time.</summary>
    ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);
}
