using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>A fake clock that knows how many of the timers made on it are still alive.</summary>
internal sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _live;

    public int LiveTimers => Volatile.Read(ref _live);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _live);
        return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class Counted(ITimer inner, TimerCountingTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            Release();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return inner.DisposeAsync();
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
            }
        }
    }
}
