using AgentBill.Ledger;
using AgentBill.Validation;

namespace AgentBill;

/// <summary>
/// The administration of one ledger (<see cref="IAgentBillAdmin"/>): budgets, usage per period, reset, open holds.
/// It validates its arguments before the store is touched and names periods with the client's calendar and clock;
/// <see cref="AgentBillClient"/> forwards its admin members here.
/// </summary>
internal sealed class AgentBillAdmin : IAgentBillAdmin
{
    private readonly IBudgetLedger _ledger;
    private readonly string _defaultCustomerId;
    private readonly IReadOnlyDictionary<UsageMeter, BudgetLimit> _defaultBudgets;
    private readonly PeriodCalendar _calendar;
    private readonly TimeProvider _time;

    /// <param name="ledger">The store, already under the client's resilience layer.</param>
    /// <param name="defaultCustomerId">The customer read when a call names none.</param>
    /// <param name="defaultBudgets">The budget, per meter, of every customer that has none of its own.</param>
    /// <param name="calendar">Names and bounds the periods.</param>
    /// <param name="time">The clock.</param>
    public AgentBillAdmin(IBudgetLedger ledger, string defaultCustomerId, IReadOnlyDictionary<UsageMeter, BudgetLimit> defaultBudgets, PeriodCalendar calendar, TimeProvider time)
    {
        _ledger = ledger;
        _defaultCustomerId = defaultCustomerId;
        _defaultBudgets = defaultBudgets;
        _calendar = calendar;
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(budget);
        }
        catch (ArgumentNullException ex)
        {
            return ValueTask.FromException(ex);
        }

        return _ledger.SetBudgetAsync(budget, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _ledger.GetBudgetAsync(Key(scope, meter), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _ledger.RemoveBudgetAsync(Key(scope, meter), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
    {
        var key = Key(scope, meter);
        Guard.Defined(period);
        var now = _time.GetUtcNow();
        var instant = at ?? now;
        var budget = await _ledger.GetBudgetAsync(key, cancellationToken).ConfigureAwait(false);
        var limit = budget is not null
            ? new BudgetLimit(budget.Limit, budget.Period)
            : scope.Kind == BudgetScopeKind.Customer ? _defaultBudgets.GetValueOrDefault(meter) : null;
        var kind = limit?.Period ?? period;
        var periodKey = _calendar.KeysAt(instant).For(kind);
        var usage = await _ledger.GetUsageAsync(key, periodKey, now, cancellationToken).ConfigureAwait(false);
        var (start, end) = _calendar.BoundsAt(kind, instant);
        // Open holds count in the period that approved them: a past period's holds still open are its own.
        return new BudgetUsage(key, kind, periodKey, start, end, limit?.Limit, usage.Used, usage.Reserved);
    }

    /// <inheritdoc />
    public async ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        var usage = await GetUsageAsync(scope, meter, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _ledger.ResetUsageAsync(usage.Key, usage.PeriodKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
        => _ledger.GetOpenHoldsAsync(Customer(customerId), _time.GetUtcNow(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        Guard.PageLimit(limit);
        return _ledger.GetOpenHoldsPageAsync(Customer(customerId), cursor, limit, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>The customer an admin call reads: the one it names, else the client's default (never the ambient one).</summary>
    private string Customer(string? customerId, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(customerId))] string? paramName = null)
        => Guard.OptionalId(customerId, paramName) ?? _defaultCustomerId;

    private static BudgetKey Key(BudgetScope scope, UsageMeter meter)
    {
        Guard.DefinedScope(scope);
        return new BudgetKey(scope, Guard.Defined(meter));
    }
}
