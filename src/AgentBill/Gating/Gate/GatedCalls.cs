using System.ComponentModel;

namespace AgentBill;

/// <summary>
/// The asynchronous shapes of a gated call, written once here so each generated interceptor is a one-line call
/// with a static lambda instead of a state machine of its own: thousands of call sites then cost the compiler
/// thousands of small methods, not thousands of async state machines. The state carries the call's arguments,
/// so no lambda captures anything. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GatedCalls
{
    /// <summary>Gates a call that returns <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="TResult">What the call returns.</typeparam>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="call">Makes the original call from the arguments.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public static async Task<TResult> RunAsync<TState, TResult>(IAgentBill bill, PreflightRequest request, TState state, Func<TState, Task<TResult>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var gate = await GateScope.EnterAsync(bill, request, cancellationToken).ConfigureAwait(false);
        try
        {
            gate.Begin();
            var result = await call(state).ConfigureAwait(false);
            await gate.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            // Releases the hold when the call threw or was cancelled; does nothing after CompleteAsync.
            await gate.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Gates a call that returns <see cref="Task"/>.</summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="call">Makes the original call from the arguments.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public static Task RunVoidAsync<TState>(IAgentBill bill, PreflightRequest request, TState state, Func<TState, Task> call, CancellationToken cancellationToken = default)
        => RunAsync(bill, request, (state, call), static async s =>
        {
            await s.call(s.state).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Gates a call that returns <see cref="ValueTask{TResult}"/>.</summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="TResult">What the call returns.</typeparam>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="call">Makes the original call from the arguments.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public static async ValueTask<TResult> RunValueAsync<TState, TResult>(IAgentBill bill, PreflightRequest request, TState state, Func<TState, ValueTask<TResult>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var gate = await GateScope.EnterAsync(bill, request, cancellationToken).ConfigureAwait(false);
        try
        {
            gate.Begin();
            var result = await call(state).ConfigureAwait(false);
            await gate.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            await gate.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Gates a call that returns <see cref="ValueTask"/>.</summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="call">Makes the original call from the arguments.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public static async ValueTask RunValueVoidAsync<TState>(IAgentBill bill, PreflightRequest request, TState state, Func<TState, ValueTask> call, CancellationToken cancellationToken = default)
        => await RunValueAsync(bill, request, (state, call), static async s =>
        {
            await s.call(s.state).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Gates a stream: held at its first step, settled when it ends or is disposed early (what was consumed was
    /// spent), released when a step throws. Each step runs in the consumer's context, so each begins the gate.
    /// </summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="T">The stream's items.</typeparam>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="call">Makes the original call from the arguments.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    /// <remarks>
    /// The parties are those of the <see cref="AgentBillContext"/> current when the stream is made, not when it is
    /// enumerated: a stream returned from a method and read by its caller still charges whoever the method ran for.
    /// </remarks>
    public static IAsyncEnumerable<T> StreamAsync<TState, T>(IAgentBill bill, PreflightRequest request, TState state, Func<TState, IAsyncEnumerable<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ContextRestoringAsyncEnumerable.Create(
            (State: state, Call: call),
            static (s, _) => s.Call(s.State),
            new GatedStream<T>(AgentBillAmbient.Current, bill, request),
            cancellationToken);
    }

    /// <summary>
    /// A gated stream, as the one context-restoring enumerator drives it: held at its first step in the state it was
    /// made in, every later step run in the gate's own context, settled when it ends or is disposed early, released
    /// when making it or a step throws.
    /// </summary>
    private sealed class GatedStream<T>(AgentBillAmbient madeIn, IAgentBill bill, PreflightRequest request) : IContextRestoringObserver<T>
    {
        private GateScope? _gate;
        private CancellationToken _cancellationToken;

        public AgentBillAmbient Ambient => _gate is null ? madeIn : AgentBillAmbient.Of(_gate);

        public async ValueTask<bool> StartAsync(CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            _gate = await GateScope.EnterAsync(bill, request, cancellationToken).ConfigureAwait(false);
            return true;
        }

        public void StepStarting()
        {
        }

        public void StepEnded()
        {
        }

        public ValueTask OnItemAsync(T item, CancellationToken cancellationToken) => default;

        public bool EndsStream(Exception error) => false;

        public async ValueTask EndAsync(ContextRestoringStreamEnd end)
        {
            // What was consumed was spent: a stream read to its end or disposed early is settled; one that threw is released.
            if (!end.Opened || end.Error is not null)
            {
                await _gate!.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await _gate!.CompleteAsync(_cancellationToken).ConfigureAwait(false);
            }
        }

        public bool TryTakeTrailer(out T item)
        {
            item = default!;
            return false;
        }
    }
}
