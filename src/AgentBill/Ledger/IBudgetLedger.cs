using AgentBill.Validation;

namespace AgentBill.Ledger;

/// <summary>
/// The store behind a budget gate. Every method is one atomic step: a store either applies all of a command
/// or none of it, and keeps the invariants of the conformance suite (DESIGN §3) under any concurrency.
/// </summary>
/// <remarks>
/// Arguments arrive validated by the client. Time comes in each command (<see cref="LedgerCall.Now"/>) so
/// expiry follows the client's <see cref="TimeProvider"/>; a store must not read its own clock for it.
/// A store that cannot be reached throws <see cref="AgentBillUnavailableException"/>.
/// </remarks>
public interface IBudgetLedger
{
    /// <summary>Holds units against every budget that applies, or against none of them.</summary>
    /// <param name="command">The hold to make.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken);

    /// <summary>Grows an open hold against every budget it holds, or not at all.</summary>
    /// <param name="command">The growth.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken);

    /// <summary>Moves an open hold's expiry later.</summary>
    /// <param name="command">The new expiry.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether the hold was open.</returns>
    ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken);

    /// <summary>Settles a hold with actual usage, or charges usage directly when no hold is open.</summary>
    /// <param name="command">The usage.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken);

    /// <summary>Frees an open hold. Releasing a hold that is not open changes nothing.</summary>
    /// <param name="command">The hold to free.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether an open hold was freed (a hold of zero units included).</returns>
    ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a budget.</summary>
    /// <param name="budget">The budget.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken);

    /// <summary>Gets a budget set with <see cref="SetBudgetAsync"/>.</summary>
    /// <param name="key">The scope and meter.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken);

    /// <summary>Removes a budget; its usage stays readable.</summary>
    /// <param name="key">The scope and meter.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>Whether there was a budget to remove.</returns>
    ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the settled usage of one scope and meter in one period, and what the open holds approved in that period
    /// hold now, after expiring holds due at <paramref name="now"/>. Usage is metered for every scope, budget or not.
    /// A hold counts in the lifetime total and in the day, week and month that approved it, never in a later one.
    /// </summary>
    /// <param name="key">The scope and meter.</param>
    /// <param name="periodKey">The period's name.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets settled usage of one scope and meter in one period back to zero. Open holds stay held.</summary>
    /// <param name="key">The scope and meter.</param>
    /// <param name="periodKey">The period's name.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken);

    /// <summary>Lists a customer's open holds, after expiring those due at <paramref name="now"/>.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Lists one page of a customer's open holds, after expiring those due at <paramref name="now"/>: at most
    /// <paramref name="limit"/> holds following <paramref name="cursor"/>. Every hold open from the first page to the
    /// last is listed once; a store orders holds its own way. The default reads every hold and pages them by id: a
    /// store whose holds can be many overrides it.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cursor">The previous page's <see cref="OpenHoldPage.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most holds to return, from 1 to 1000.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    async ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Guard.PageLimit(limit);
        var all = await GetOpenHoldsAsync(customerId, now, cancellationToken).ConfigureAwait(false);
        return OpenHoldPage.ByOrder(all, hold => hold.ReservationId, cursor, limit);
    }
}
