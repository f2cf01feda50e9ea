using AgentBill.Ledger;

namespace AgentBill;

/// <summary>Budget administration and usage reports: what the CLI and dashboards use.</summary>
public interface IAgentBillAdmin
{
    /// <summary>Creates or replaces a budget.</summary>
    /// <param name="budget">The budget.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default);

    /// <summary>Gets the budget set for a scope and meter, or <see langword="null"/>.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="meter">The meter.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default);

    /// <summary>Removes a budget; usage stays readable.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="meter">The meter.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads usage in the budget's period that contains <paramref name="at"/> (now by default), so past
    /// periods stay readable. Without a budget, <paramref name="period"/> says which period to read.
    /// </summary>
    /// <param name="scope">The scope.</param>
    /// <param name="meter">The meter.</param>
    /// <param name="at">An instant inside the period to read, or <see langword="null"/> for now.</param>
    /// <param name="period">The period kind to read when no budget is set; ignored otherwise.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default);

    /// <summary>Sets settled usage in the budget's current period back to zero. Open holds stay held.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="meter">The meter.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default);

    /// <summary>Lists a customer's open holds.</summary>
    /// <param name="customerId">The customer, or <see langword="null"/> for the default customer.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of a customer's open holds: pass each page's <see cref="OpenHoldPage.NextCursor"/> for the next, until it is <see langword="null"/>.</summary>
    /// <param name="customerId">The customer, or <see langword="null"/> for the default customer.</param>
    /// <param name="cursor">The previous page's cursor, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most holds in the page, from 1 to <see cref="OpenHoldPage.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default);
}
