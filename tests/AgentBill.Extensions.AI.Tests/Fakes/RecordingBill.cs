namespace AgentBill.Extensions.AI.Tests;

/// <summary>
/// A real client that also keeps every preflight it was asked for, to read the gate's estimates and count holds per
/// agent. The Semantic Kernel tests compile this file too.
/// </summary>
internal sealed class RecordingBill(AgentBillClient inner) : IAgentBill
{
    private readonly List<PreflightRequest> _preflights = [];

    public IReadOnlyList<PreflightRequest> Preflights
    {
        get
        {
            lock (_preflights)
            {
                return [.. _preflights];
            }
        }
    }

    public int HoldsOf(string agentId) => Preflights.Count(h => h.AgentId == agentId);

    public ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        lock (_preflights)
        {
            _preflights.Add(request);
        }

        return inner.ReserveAsync(request, cancellationToken);
    }

    public ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default) => inner.PreflightAsync(request, cancellationToken);

    public ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default) => inner.RecordAsync(request, cancellationToken);

    public ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default) => inner.ReleaseAsync(reservationId, customerId, cancellationToken);

    public ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
        => inner.TopUpAsync(reservationId, units, customerId, ttl, cancellationToken);

    public ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
        => inner.ExtendAsync(reservationId, customerId, ttl, cancellationToken);
}
