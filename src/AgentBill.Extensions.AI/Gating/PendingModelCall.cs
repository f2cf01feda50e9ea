using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>
/// A model call marked in flight before its estimate is known, so gates of the same meter further down cover it from
/// the start: its ticket is opened while it runs, once its prompt is known (a kernel's prompt function, held once its
/// prompt is rendered), with <see cref="ModelCallGate.OpenAsync(PendingModelCall, ModelCallParties, string?, TokenUsage, CancellationToken)"/>.
/// Run it with <see cref="ModelCallGate.CallAsync{TState, TResult}(PendingModelCall, TState, Func{TState, CancellationToken, Task{TResult}}, CancellationToken)"/>
/// or <see cref="ModelCallGate.StreamAsync{TState, T, TItems}(PendingModelCall?, TState, Func{TState, CancellationToken, IAsyncEnumerable{T}}, TItems, CancellationToken)"/>,
/// which keep its hold alive from the moment it is opened and settle or release it. It is <see cref="AgentBillAmbient.Call"/> while it runs.
/// </summary>
/// <param name="meter">What the gate that holds it counts.</param>
public class PendingModelCall(UsageMeter meter)
{
    private ModelCallKeepAlive _keepAlive = ModelCallKeepAlive.Inactive;

    /// <summary>Gets what the gate that holds the call counts: gates of this meter further down cover it.</summary>
    public UsageMeter Meter { get; } = meter;

    /// <summary>Gets the call's ticket, or <see langword="null"/> until it is opened.</summary>
    public ModelCallTicket? Ticket { get; private set; }

    /// <summary>Gets the keep-alive of the call's hold, once it is opened.</summary>
    internal ModelCallKeepAlive KeepAlive => _keepAlive;

    internal void Open(ModelCallTicket ticket, ModelCallKeepAlive keepAlive)
    {
        Ticket = ticket;
        _keepAlive = keepAlive;
    }

    /// <summary>Stops keeping the hold alive, so it can be settled.</summary>
    internal ValueTask StopKeepAliveAsync() => _keepAlive.DisposeAsync();
}
