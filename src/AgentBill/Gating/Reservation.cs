using AgentBill.Validation;

namespace AgentBill;

/// <summary>
/// A held estimate: the lease every <see cref="IAgentBill"/> returns from <see cref="IAgentBill.ReserveAsync"/>, as a
/// <c>RateLimiter</c> returns a <c>RateLimitLease</c>. Use it with <c>await using</c>: <see cref="CommitAsync"/>
/// settles the hold with the real usage; disposing it uncommitted releases it (the run failed or was cancelled).
/// </summary>
/// <remarks>
/// <para>
/// The public members validate their arguments and keep the handle's state; a derived type (a decorator, a test
/// fake, a remote client) implements only the <c>…CoreAsync</c> members. A commit that throws (the store was
/// unreachable after the client's own retries, say) leaves the handle open: call <see cref="CommitAsync"/> again
/// with the same units and the usage lands exactly once; disposing it instead releases the hold uncharged.
/// </para>
/// <para>
/// Charges made through the handle are reported to the <see cref="AgentBillContext"/> that was current when the hold
/// was made, so a stream settled after its caller returned still counts where it was started.
/// </para>
/// </remarks>
public abstract class Reservation : IAsyncDisposable
{
    private const int Open = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    private int _state;

    /// <summary>Creates the handle of an approved preflight, in the current <see cref="AgentBillContext"/>.</summary>
    /// <param name="result">The approved preflight.</param>
    /// <exception cref="ArgumentException">The preflight was refused.</exception>
    protected Reservation(PreflightResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Approved)
        {
            throw new ArgumentException("A reservation is made from an approved preflight.", nameof(result));
        }

        Result = result;
        HeldUnits = result.EstimatedUnits;
        ExpiresAt = result.ExpiresAt;
        Context = AgentBillContext.Current;
    }

    /// <summary>Gets the approved preflight behind this hold.</summary>
    public PreflightResult Result { get; }

    /// <summary>Gets the hold's id, or <see langword="null"/> when the preflight was approved degraded (no store hold).</summary>
    public string? Id => Result.ReservationId;

    /// <summary>Gets the units held now: the estimate plus every approved top-up.</summary>
    public long HeldUnits { get; protected set; }

    /// <summary>Gets when the hold returns its units if it is neither settled nor extended.</summary>
    public DateTimeOffset? ExpiresAt { get; protected set; }

    /// <summary>Gets whether the hold was committed or released.</summary>
    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>Gets the context the hold was made in, which its charges are reported to.</summary>
    internal AgentBillContext? Context { get; }

    /// <summary>Gets or sets the units this hold holds under the <see cref="SpendingCeiling"/>s of its context; given back when it closes.</summary>
    internal long HeldUnderCeilings { get; set; }

    /// <summary>Settles the hold with the real usage; usage past the hold (or the limit) is still charged.</summary>
    /// <param name="actualUnits">The units the run really used.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actualUnits"/> is negative or too large; the handle is unchanged.</exception>
    /// <exception cref="InvalidOperationException">The hold was already committed or released, or a commit or release of it is running.</exception>
    public ValueTask<RecordResult> CommitAsync(long actualUnits, CancellationToken cancellationToken = default)
    {
        try
        {
            Guard.Units(actualUnits, nameof(actualUnits));
            Take();
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<RecordResult>(ex);
        }

        ValueTask<RecordResult> committing;
        try
        {
            committing = CommitCoreAsync(actualUnits, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: the handle reopens and the caller gets the exception in the task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _state, Open);
            return ValueTask.FromException<RecordResult>(ex);
        }

        if (committing.IsCompletedSuccessfully)
        {
            Committed(committing.Result);
            return committing;
        }

        return CommitPendingAsync(committing);
    }

    /// <summary>Settles the hold with its estimate, for runs that cannot measure what they used.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public ValueTask<RecordResult> CommitEstimateAsync(CancellationToken cancellationToken = default)
        => CommitAsync(Result.EstimatedUnits, cancellationToken);

    /// <summary>Grows the hold; a refusal tells a long loop to stop gracefully. It also extends the hold's life.</summary>
    /// <param name="units">The extra units.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is negative or too large.</exception>
    /// <exception cref="InvalidOperationException">The hold was already committed or released.</exception>
    public async ValueTask<TopUpResult> TopUpAsync(long units, CancellationToken cancellationToken = default)
    {
        Guard.Units(units, nameof(units));
        ThrowIfClosed();
        var result = await TopUpCoreAsync(units, cancellationToken).ConfigureAwait(false);
        if (result.Approved)
        {
            HeldUnits = result.HeldUnits;
            ExpiresAt = result.ExpiresAt ?? ExpiresAt;
        }
        else
        {
            AgentBillContext.ReportRefusal(Context);
        }

        return result;
    }

    /// <summary>Keeps the hold alive for another TTL from now.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether the hold was still open.</returns>
    public ValueTask<bool> ExtendAsync(CancellationToken cancellationToken = default)
        => IsClosed ? new(false) : ExtendCoreAsync(cancellationToken);

    /// <summary>Frees the hold without charging. Does nothing when already committed or released.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Open) != Open)
        {
            return;
        }

        try
        {
            await ReleaseCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Still held: a later release (or the expiry) frees it.
            Volatile.Write(ref _state, Open);
            throw;
        }

        Volatile.Write(ref _state, Closed);
        GiveBackUnderCeilings();
    }

    /// <summary>Releases the hold when it was not committed. Never throws for an unreachable store: a hold that cannot be released expires.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException ex)
        {
            OnReleaseFailed(ex);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Settles the hold in the store. Called once at a time, with validated units, while the handle is open.</summary>
    /// <param name="actualUnits">The units the run really used.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    protected abstract ValueTask<RecordResult> CommitCoreAsync(long actualUnits, CancellationToken cancellationToken);

    /// <summary>Grows the hold in the store. Called with validated units while the handle is open.</summary>
    /// <param name="units">The extra units.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    protected abstract ValueTask<TopUpResult> TopUpCoreAsync(long units, CancellationToken cancellationToken);

    /// <summary>Extends the hold in the store, setting <see cref="ExpiresAt"/>; returns whether it was still open.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    protected abstract ValueTask<bool> ExtendCoreAsync(CancellationToken cancellationToken);

    /// <summary>Frees the hold in the store. Called once at a time while the handle is open.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    protected abstract ValueTask ReleaseCoreAsync(CancellationToken cancellationToken);

    /// <summary>Called when disposal could not release the hold because the store was unreachable; the hold expires instead.</summary>
    /// <param name="exception">Why the release failed.</param>
    protected virtual void OnReleaseFailed(AgentBillUnavailableException exception)
    {
    }

    private void Take()
    {
        var state = Interlocked.CompareExchange(ref _state, Busy, Open);
        if (state != Open)
        {
            throw new InvalidOperationException(state == Closed
                ? $"Reservation '{Id}' was already committed or released."
                : $"Reservation '{Id}' is being committed or released.");
        }
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new InvalidOperationException($"Reservation '{Id}' was already committed or released.");
        }
    }

    private async ValueTask<RecordResult> CommitPendingAsync(ValueTask<RecordResult> committing)
    {
        RecordResult result;
        try
        {
            result = await committing.ConfigureAwait(false);
        }
        catch
        {
            Volatile.Write(ref _state, Open);
            throw;
        }

        Committed(result);
        return result;
    }

    private void Committed(in RecordResult result)
    {
        Volatile.Write(ref _state, Closed);
        if (!result.IsReplay)
        {
            // Charged before the hold is given back, so a ceiling counts the units twice for a moment, never not at all.
            AgentBillContext.ReportCharge(Context, Result.CustomerId, Result.Meter, result.Units, this);
        }

        GiveBackUnderCeilings();
    }

    private void GiveBackUnderCeilings() => RunCeilings.GiveBack(this);
}
