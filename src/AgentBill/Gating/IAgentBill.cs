namespace AgentBill;

/// <summary>
/// The budget gate: a preflight holds an estimate before a run, a record settles what the run really used.
/// Every integration (<c>[Gate]</c>, the chat middleware, the Semantic Kernel filters) is built on
/// <see cref="ReserveAsync"/>.
/// </summary>
public interface IAgentBill
{
    /// <summary>
    /// Checks the ceiling and every budget that applies, and when all can hold the estimate, holds it until it
    /// is settled, released or expires. Never throws for a refusal: see <see cref="PreflightResult.Approved"/>.
    /// </summary>
    /// <param name="request">What the run asks for.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="ArgumentException">An argument is invalid; nothing was held.</exception>
    /// <exception cref="AgentBillUnavailableException">The store cannot be reached and the failure mode is fail-closed.</exception>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Holds the estimate like <see cref="PreflightAsync"/>, throwing when refused, and returns a handle:
    /// <see cref="Reservation.CommitAsync"/> settles it, disposing it uncommitted releases it.
    /// </summary>
    /// <param name="request">What the run asks for.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="CeilingExceededException">The estimate is above the ceiling.</exception>
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate.</exception>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records usage that happened: settles the named hold, else the oldest open hold of the same customer,
    /// agent and meter, else charges directly. Usage past a limit is stored and marked as an overrun.
    /// </summary>
    /// <param name="request">The usage.</param>
    /// <param name="cancellationToken">Cancels the wait for the store and the retries.</param>
    /// <exception cref="AgentBillUnavailableException">The store could not be reached after every attempt, or a retry was refused after an attempt that got no answer: the outcome is unknown; record again with the same reservation id or idempotency key.</exception>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Frees a hold. Idempotent; a hold that is not open is left alone.</summary>
    /// <param name="reservationId">The hold.</param>
    /// <param name="customerId">Its customer, or <see langword="null"/> for the default customer.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether an open hold was freed.</returns>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default);

    /// <summary>Grows an open hold, atomically like a preflight; a refusal tells a long loop to stop gracefully.</summary>
    /// <param name="reservationId">The hold.</param>
    /// <param name="units">The extra units.</param>
    /// <param name="customerId">Its customer, or <see langword="null"/> for the default customer.</param>
    /// <param name="ttl">How long the hold lives from now, or <see langword="null"/> for the configured TTL.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Keeps an open hold alive for another TTL from now, so a long run never needs a long TTL.</summary>
    /// <param name="reservationId">The hold.</param>
    /// <param name="customerId">Its customer, or <see langword="null"/> for the default customer.</param>
    /// <param name="ttl">How long the hold lives from now, or <see langword="null"/> for the configured TTL.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The new expiry, or <see langword="null"/> when the hold was no longer open.</returns>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and <see cref="AgentBillOptions.RequireCustomer"/> is on; nothing was held or charged.</exception>
    ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default);
}
