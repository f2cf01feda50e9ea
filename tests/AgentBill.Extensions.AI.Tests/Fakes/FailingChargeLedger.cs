using AgentBill.InMemory;
using AgentBill.Ledger;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>A store that holds and releases like the in-memory one but cannot be reached when usage is recorded.</summary>
internal sealed class FailingChargeLedger : IBudgetLedger
{
    private readonly InMemoryBudgetLedger _inner = new();

    public List<string?> ChargeKeys { get; } = [];

    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        lock (ChargeKeys)
        {
            ChargeKeys.Add(command.Call.IdempotencyKey);
        }

        throw new AgentBillUnavailableException("The store is down.");
    }

    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken) => _inner.ReserveAsync(command, cancellationToken);

    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken) => _inner.TopUpAsync(command, cancellationToken);

    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken) => _inner.ExtendAsync(command, cancellationToken);

    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken) => _inner.ReleaseAsync(command, cancellationToken);

    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken) => _inner.SetBudgetAsync(budget, cancellationToken);

    public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => _inner.GetBudgetAsync(key, cancellationToken);

    public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => _inner.RemoveBudgetAsync(key, cancellationToken);

    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken) => _inner.GetUsageAsync(key, periodKey, now, cancellationToken);

    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken) => _inner.ResetUsageAsync(key, periodKey, cancellationToken);

    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken) => _inner.GetOpenHoldsAsync(customerId, now, cancellationToken);
}
