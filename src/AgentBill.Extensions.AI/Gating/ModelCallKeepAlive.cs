namespace AgentBill.Extensions.AI;

/// <summary>
/// Keeps a call's hold alive while the provider works on it, from <see cref="ModelCallGate.KeepAlive"/>: every half
/// of the hold's life, on the gate's <see cref="TimeProvider"/>, the hold is extended, so a call slower than the TTL
/// never has its money handed to other calls while it runs. Dispose it before settling.
/// </summary>
/// <remarks>
/// A stream pauses it while its consumer holds an update and resumes it while it waits for the next one, so a stream
/// nobody reads (or forgets to dispose) stops extending its hold and lets it expire.
/// </remarks>
public sealed class ModelCallKeepAlive : IAsyncDisposable
{
    /// <summary>A keep-alive with nothing to keep: a covered ticket, or a hold with no expiry.</summary>
    internal static readonly ModelCallKeepAlive Inactive = new();

    private readonly ModelCallGate? _gate;
    private readonly ModelCallTicket? _ticket;
    private readonly TimeSpan _period;
    private readonly ITimer? _timer;
    private readonly object _lock = new();
    private Task _extending = Task.CompletedTask;
    private bool _disposed;

    internal ModelCallKeepAlive(ModelCallGate gate, ModelCallTicket ticket, TimeProvider time, TimeSpan period)
    {
        _gate = gate;
        _ticket = ticket;
        _period = period;
        _timer = time.CreateTimer(static state => ((ModelCallKeepAlive)state!).Tick(), this, period, period);
    }

    private ModelCallKeepAlive()
    {
    }

    /// <summary>Stops extending until <see cref="Resume"/>: the provider is not working on the call.</summary>
    public void Pause() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>Extends again every half of the hold's life, counted from now.</summary>
    public void Resume()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _timer?.Change(_period, _period);
            }
        }
    }

    /// <summary>Stops extending, and waits for an extension under way, so the hold can be settled.</summary>
    /// <returns>Completes when no extension is running.</returns>
    public async ValueTask DisposeAsync()
    {
        Task extending;
        lock (_lock)
        {
            _disposed = true;
            extending = _extending;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await extending.ConfigureAwait(false);
    }

    private void Tick()
    {
        lock (_lock)
        {
            // One extension at a time: a store slower than half the TTL gets no pile of them.
            if (_disposed || !_extending.IsCompleted)
            {
                return;
            }

            _extending = _gate!.ExtendAsync(_ticket!).AsTask();
        }
    }
}
