using System.Runtime.CompilerServices;
using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>What a wrapped function stream reports to as it is read.</summary>
internal interface IStreamObserver
{
    /// <summary>The scope one step of the stream runs in.</summary>
    StepScope Step();

    /// <summary>An item the stream produced.</summary>
    void Saw(object? item);

    /// <summary>The stream ended: read to its end (<paramref name="completed"/>), or abandoned or failed midway.</summary>
    ValueTask EndAsync(bool completed);
}

/// <summary>
/// A streaming function's result runs when it is read, after the filters returned: each step is run in the scope
/// the filter captured (its parties, its hold), and the end of the stream is reported. Semantic Kernel streams
/// items of a few known types; the wrapper keeps the exact type, since the kernel casts the result back to it.
/// </summary>
internal static class Streams
{
    /// <summary>The stream wrapped to run in the observer's scope.</summary>
    /// <exception cref="NotSupportedException">The result is a stream of a type the filters cannot wrap: refused rather than run ungated.</exception>
    public static object? Wrap(object? value, IStreamObserver observer) => value switch
    {
        IAsyncEnumerable<StreamingChatMessageContent> items => Observe(items, observer),
        IAsyncEnumerable<StreamingKernelContent> items => Observe(items, observer),
        IAsyncEnumerable<ChatResponseUpdate> items => Observe(items, observer),
        IAsyncEnumerable<string> items => Observe(items, observer),
        null => null,
        _ => throw new NotSupportedException(
            $"AgentBill cannot gate a streaming function whose items are {value.GetType().Name}: stream StreamingKernelContent, StreamingChatMessageContent, ChatResponseUpdate or string."),
    };

    private static async IAsyncEnumerable<T> Observe<T>(IAsyncEnumerable<T> items, IStreamObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<T> enumerator;
        using (observer.Step())
        {
            enumerator = items.GetAsyncEnumerator(cancellationToken);
        }

        var completed = false;
        try
        {
            while (true)
            {
                bool moved;
                using (observer.Step())
                {
                    moved = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }

                if (!moved)
                {
                    break;
                }

                observer.Saw(enumerator.Current);
                yield return enumerator.Current;
            }

            completed = true;
        }
        finally
        {
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await observer.EndAsync(completed).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>One step of a function stream: its parties, its prompt call, and (when the filters hold the call) the in-flight mark.</summary>
internal readonly struct StepScope : IDisposable
{
    private readonly AgentBillContext.Restoration _parties;
    private readonly PromptCall.Scope _call;
    private readonly ModelCallGate.CallScope _inFlight;
    private readonly bool _marked;

    public StepScope(AgentBillContext? parties, PromptCall? call, ModelCallGate? gate)
    {
        _parties = AgentBillContext.Restore(parties);
        _call = PromptCall.Enter(call);
        _marked = gate is not null;
        _inFlight = _marked ? gate!.EnterCall() : default;
    }

    public void Dispose()
    {
        if (_marked)
        {
            _inFlight.Dispose();
        }

        _call.Dispose();
        _parties.Dispose();
    }
}
