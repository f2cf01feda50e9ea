using AgentBill.Ledger;
using AgentBill.Telemetry;

namespace AgentBill;

/// <summary>The lease <see cref="AgentBillClient"/> returns: each step goes to the client that approved it.</summary>
internal sealed class ClientReservation : Reservation
{
    private readonly AgentBillClient _client;
    private readonly PreflightRequest _request;

    /// <param name="client">The client that approved the hold.</param>
    /// <param name="result">The approved preflight.</param>
    /// <param name="request">What was asked: its lifetime is kept for top-ups and extensions, and its ceiling for top-ups.</param>
    public ClientReservation(AgentBillClient client, PreflightResult result, PreflightRequest request)
        : base(result)
    {
        _client = client;
        _request = request;
    }

    protected override ValueTask<RecordResult> CommitCoreAsync(long actualUnits, CancellationToken cancellationToken)
        => _client.CommitAsync(Result, actualUnits, cancellationToken);

    protected override ValueTask<TopUpResult> TopUpCoreAsync(long units, CancellationToken cancellationToken)
    {
        var held = BudgetRules.Add(HeldUnits, units);
        if (held > _client.CeilingFor(Result.Meter, _request.Ceiling))
        {
            // A run may not grow past the ceiling its first estimate was held under: decided without a round trip.
            return new(new TopUpResult
            {
                Approved = false,
                Reason = RefusalReason.CeilingExceeded,
                Persistence = RefusalPersistence.Permanent,
                HeldUnits = HeldUnits,
                ExpiresAt = ExpiresAt,
            });
        }

        var underCeilings = RunCeilings.Apply(Context, Result.Meter);
        if (underCeilings && RunCeilings.Hold(Context, Result.Meter, units) is { } refusing)
        {
            return new(RunCeilings.TopUpRefusal(this, refusing));
        }

        if (Id is null)
        {
            // A degraded run has no store hold to grow; fail-open lets it continue as it started.
            HeldUnderCeilings += underCeilings ? units : 0;
            return new(new TopUpResult { Approved = true, HeldUnits = held });
        }

        var growing = _client.TopUpAsync(Id, units, Result.CustomerId, _request.Ttl, cancellationToken);
        return underCeilings ? RunCeilings.KeepIfGrownAsync(this, units, growing) : growing;
    }

    protected override async ValueTask<bool> ExtendCoreAsync(CancellationToken cancellationToken)
    {
        if (Id is null)
        {
            return true;
        }

        var expiresAt = await _client.ExtendAsync(Id, Result.CustomerId, _request.Ttl, cancellationToken).ConfigureAwait(false);
        ExpiresAt = expiresAt ?? ExpiresAt;
        return expiresAt is not null;
    }

    protected override ValueTask ReleaseCoreAsync(CancellationToken cancellationToken)
        => Id is null ? default : ReleaseInStoreAsync(Id, cancellationToken);

    protected override void OnReleaseFailed(AgentBillUnavailableException exception)
        => Log.ReleaseFailed(_client.Logger, exception, Id ?? string.Empty);

    private async ValueTask ReleaseInStoreAsync(string id, CancellationToken cancellationToken)
        => await _client.ReleaseAsync(id, Result.CustomerId, cancellationToken).ConfigureAwait(false);
}
