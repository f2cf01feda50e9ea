namespace AgentBill.InMemory;

/// <summary>The counters of one book, one per budget and period, created when a charge first touches them.</summary>
internal sealed class CounterTable
{
    private readonly Dictionary<CounterKey, Counter> _counters = [];

    public Counter GetOrCreate(BudgetKey key, string periodKey)
    {
        var counterKey = new CounterKey(key, periodKey);
        if (!_counters.TryGetValue(counterKey, out var counter))
        {
            counter = new Counter(key, periodKey);
            _counters.Add(counterKey, counter);
        }

        return counter;
    }

    public Counter? Find(BudgetKey key, string periodKey) => _counters.GetValueOrDefault(new CounterKey(key, periodKey));
}
