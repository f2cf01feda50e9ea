using AgentBill.InMemory;
using AgentBill.Ledger;

namespace AgentBill.Tests;

/// <summary>A test ledger over the in-memory one, for doubles that change one call.</summary>
internal abstract class DelegatingLedger : IBudgetLedger
{
    private readonly InMemoryBudgetLedger _inner = new();

    protected virtual void BeforeCall()
    {
    }

    public virtual ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken) { BeforeCall(); return _inner.ReserveAsync(command, cancellationToken); }
    public virtual ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken) { BeforeCall(); return _inner.TopUpAsync(command, cancellationToken); }
    public virtual ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken) { BeforeCall(); return _inner.ExtendAsync(command, cancellationToken); }
    public virtual ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken) { BeforeCall(); return _inner.ChargeAsync(command, cancellationToken); }
    public virtual ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken) { BeforeCall(); return _inner.ReleaseAsync(command, cancellationToken); }
    public virtual ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken) { BeforeCall(); return _inner.SetBudgetAsync(budget, cancellationToken); }
    public virtual ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken) { BeforeCall(); return _inner.GetBudgetAsync(key, cancellationToken); }
    public virtual ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken) { BeforeCall(); return _inner.RemoveBudgetAsync(key, cancellationToken); }
    public virtual ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken) { BeforeCall(); return _inner.GetUsageAsync(key, periodKey, now, cancellationToken); }
    public virtual ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken) { BeforeCall(); return _inner.ResetUsageAsync(key, periodKey, cancellationToken); }
    public virtual ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken) { BeforeCall(); return _inner.GetOpenHoldsAsync(customerId, now, cancellationToken); }
}
