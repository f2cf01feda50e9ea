using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// A customer's newest <see cref="ReportRules.RefusalsKeptPerCustomer"/> refusals, a ring that overwrites the oldest.
/// Each carries the ledger-wide sequence it was recorded at, which orders refusals of one instant across customers.
/// Guarded by the lock of the book that owns it.
/// </summary>
internal sealed class RefusalLog
{
    private readonly (long Sequence, RefusalRecord Record)[] _ring = new (long, RefusalRecord)[ReportRules.RefusalsKeptPerCustomer];
    private int _next;
    private int _count;

    public void Add(long sequence, RefusalRecord record)
    {
        _ring[_next] = (sequence, record);
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>The newest <paramref name="limit"/> refusals, newest first.</summary>
    public IEnumerable<(long Sequence, RefusalRecord Record)> Newest(int limit)
    {
        for (var i = 1; i <= Math.Min(limit, _count); i++)
        {
            yield return _ring[(_next - i + _ring.Length) % _ring.Length];
        }
    }
}
