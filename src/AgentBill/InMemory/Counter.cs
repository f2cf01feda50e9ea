namespace AgentBill.InMemory;

/// <summary>Usage of one scope and meter in one period. Mutable fields are guarded by the lock of the book that owns it.</summary>
internal sealed class Counter(BudgetKey key, string periodKey)
{
    public BudgetKey Key { get; } = key;

    public string PeriodKey { get; } = periodKey;

    public long Used;
    public long Reserved;

    /// <summary>The highest alert threshold already raised in this period.</summary>
    public int AlertedPercent;
}
