using System.ComponentModel;
using System.Runtime.CompilerServices;

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
        return StreamInContextAsync(AgentBillContext.Current, bill, request, state, call, cancellationToken);
    }

    private static async IAsyncEnumerable<T> StreamInContextAsync<TState, T>(
        AgentBillContext? context, IAgentBill bill, PreflightRequest request, TState state, Func<TState, IAsyncEnumerable<T>> call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        GateScope gate;
        using (AgentBillContext.Restore(context))
        {
            gate = await GateScope.EnterAsync(bill, request, cancellationToken).ConfigureAwait(false);
        }

        var failed = false;
        IAsyncEnumerator<T> items;
        try
        {
            try
            {
                gate.Begin();
                items = call(state).GetAsyncEnumerator(cancellationToken);
            }
            catch
            {
                failed = true;
                throw;
            }

            try
            {
                while (true)
                {
                    gate.Begin();
                    bool moved;
                    try
                    {
                        moved = await items.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch
                    {
                        failed = true;
                        throw;
                    }

                    if (!moved)
                    {
                        break;
                    }

                    yield return items.Current;
                }
            }
            finally
            {
                await items.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (failed)
            {
                await gate.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await gate.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
