namespace AgentBill.InMemory;

/// <summary>Usage of one scope and meter in one period. Guarded by the lock of the book that owns it.</summary>
internal sealed class Counter
{
    public long Used;
    public long Reserved;

    /// <summary>The highest alert threshold already raised in this period.</summary>
    public int AlertedPercent;
}
