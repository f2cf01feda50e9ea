using System.Collections.Concurrent;

namespace AgentBill.Server.Protocol;

/// <summary>
/// The idempotency keys whose preflight this instance is deciding right now: a second request with one of them is
/// answered 409 <c>preflight_in_progress</c> instead of waiting. Once decided, the core's store replays the answer.
/// </summary>
internal sealed class InFlightKeys
{
    private readonly ConcurrentDictionary<(string Customer, string Key), byte> _keys = new();

    /// <summary>Claims a key; <see langword="null"/> when it is already being decided. Dispose the claim when decided.</summary>
    public IDisposable? TryClaim(string customerId, string key)
        => _keys.TryAdd((customerId, key), 0) ? new Claim(_keys, (customerId, key)) : null;

    private sealed class Claim(ConcurrentDictionary<(string, string), byte> keys, (string, string) key) : IDisposable
    {
        public void Dispose() => keys.TryRemove(key, out _);
    }
}
