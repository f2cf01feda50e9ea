using AgentBill.Telemetry;

namespace AgentBill;

/// <summary>
/// An approved hold, to use with <c>await using</c>: <see cref="CommitAsync"/> settles it with the real usage;
/// disposing it uncommitted releases it (the run failed or was cancelled).
/// </summary>
public sealed class Reservation : IAsyncDisposable
{
    private const int Open = 0;
    private const int Closed = 1;

    private readonly AgentBillClient _client;
    private readonly TimeSpan? _ttl;
    private int _state;

    internal Reservation(AgentBillClient client, PreflightResult result, TimeSpan? ttl)
    {
        _client = client;
        _ttl = ttl;
        Result = result;
        HeldUnits = result.EstimatedUnits;
        ExpiresAt = result.ExpiresAt;
    }

    /// <summary>Gets the approved preflight behind this hold.</summary>
    public PreflightResult Result { get; }

    /// <summary>Gets the hold's id, or <see langword="null"/> when the preflight was approved degraded (no store hold).</summary>
    public string? Id => Result.ReservationId;

    /// <summary>Gets the units held now: the estimate plus every approved top-up.</summary>
    public long HeldUnits { get; private set; }

    /// <summary>Gets when the hold returns its units if it is neither settled nor extended.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Gets whether the hold was committed or released.</summary>
    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>Settles the hold with the real usage; usage past the hold (or the limit) is still charged.</summary>
    /// <param name="actualUnits">The units the run really used.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="InvalidOperationException">The hold was already committed or released.</exception>
    /// <remarks>
    /// The handle settles its hold once, so the store keeps its answer only as long as the client may retry it
    /// (not at all in memory, which never needs a retry): settle a handle's hold through the handle, not by
    /// also naming its id in <see cref="IAgentBill.RecordAsync"/>.
    /// </remarks>
    public ValueTask<RecordResult> CommitAsync(long actualUnits, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, Closed) == Closed)
        {
            throw new InvalidOperationException($"Reservation '{Id}' was already committed or released.");
        }

        return _client.CommitAsync(Result, actualUnits, cancellationToken);
    }

    /// <summary>Settles the hold with its estimate, for runs that cannot measure what they used.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public ValueTask<RecordResult> CommitEstimateAsync(CancellationToken cancellationToken = default)
        => CommitAsync(Result.EstimatedUnits, cancellationToken);

    /// <summary>Grows the hold; a refusal tells a long loop to stop gracefully. It also extends the hold's life.</summary>
    /// <param name="units">The extra units.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public async ValueTask<TopUpResult> TopUpAsync(long units, CancellationToken cancellationToken = default)
    {
        if (Id is null)
        {
            // A degraded run has no store hold to grow; fail-open lets it continue as it started.
            return new TopUpResult { Approved = true, HeldUnits = HeldUnits += units };
        }

        var result = await _client.TopUpAsync(Id, units, Result.CustomerId, _ttl, cancellationToken).ConfigureAwait(false);
        if (result.Approved)
        {
            HeldUnits = result.HeldUnits;
            ExpiresAt = result.ExpiresAt;
        }

        return result;
    }

    /// <summary>Keeps the hold alive for another TTL from now.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether the hold was still open.</returns>
    public async ValueTask<bool> ExtendAsync(CancellationToken cancellationToken = default)
    {
        if (Id is null)
        {
            return true;
        }

        var expiresAt = await _client.ExtendAsync(Id, Result.CustomerId, _ttl, cancellationToken).ConfigureAwait(false);
        ExpiresAt = expiresAt ?? ExpiresAt;
        return expiresAt is not null;
    }

    /// <summary>Frees the hold without charging. Does nothing when already committed or released.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, Closed) == Closed || Id is null)
        {
            return;
        }

        await _client.ReleaseAsync(Id, Result.CustomerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the hold when it was not committed. Never throws: a hold that cannot be released expires.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException ex)
        {
            Log.ReleaseFailed(_client.Logger, ex, Id ?? string.Empty);
        }
    }
}
