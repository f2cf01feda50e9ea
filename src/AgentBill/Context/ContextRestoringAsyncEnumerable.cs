using System.Runtime.CompilerServices;

namespace AgentBill;

/// <summary>
/// The one enumerator every AgentBill integration runs a lazy stream with: a stream is read later than the call that
/// made it, from whatever flow pulls it, so each step (making the enumerator, every <c>MoveNextAsync</c>, its
/// disposal) runs in the <see cref="AgentBillAmbient"/> captured when the call was made, and an observer sees its
/// start, its items and its end however it ends (completed, failed, or disposed early).
/// </summary>
public static class ContextRestoringAsyncEnumerable
{
    /// <summary>Runs a stream in its observer's ambient state.</summary>
    /// <typeparam name="T">The stream's items.</typeparam>
    /// <typeparam name="TState">What makes the stream (the call's arguments), so no lambda captures anything.</typeparam>
    /// <typeparam name="TObserver">The observer; a struct costs no allocation.</typeparam>
    /// <param name="state">The call's arguments.</param>
    /// <param name="open">Makes the stream from the arguments, once <see cref="IContextRestoringObserver{T}.StartAsync"/> allowed it.</param>
    /// <param name="observer">What the stream reports to.</param>
    /// <param name="cancellationToken">The call's token; the consumer's is combined with it by the compiler's enumerator.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is <see langword="null"/>.</exception>
    public static IAsyncEnumerable<T> Create<T, TState, TObserver>(TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> open, TObserver observer, CancellationToken cancellationToken = default)
        where TObserver : IContextRestoringObserver<T>
    {
        ArgumentNullException.ThrowIfNull(open);
        return RunAsync(state, open, observer, cancellationToken);
    }

    /// <summary>Runs a stream with every step in an ambient state, and nothing else to observe.</summary>
    /// <typeparam name="T">The stream's items.</typeparam>
    /// <typeparam name="TState">What makes the stream (the call's arguments, or the stream itself).</typeparam>
    /// <param name="ambient">The state each step runs in: capture <see cref="AgentBillAmbient.Current"/> when the call is made.</param>
    /// <param name="state">The call's arguments.</param>
    /// <param name="open">Makes the stream from the arguments, at the first step.</param>
    /// <param name="cancellationToken">The call's token.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is <see langword="null"/>.</exception>
    public static IAsyncEnumerable<T> Create<T, TState>(AgentBillAmbient ambient, TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> open, CancellationToken cancellationToken = default)
        => Create(state, open, new RestoreOnly<T>(ambient), cancellationToken);

    private static async IAsyncEnumerable<T> RunAsync<T, TState, TObserver>(TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> open, TObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TObserver : IContextRestoringObserver<T>
    {
        bool started;
        using (observer.Ambient.Enter())
        {
            started = await observer.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (started)
        {
            IAsyncEnumerator<T> items;
            try
            {
                using (observer.Ambient.Enter())
                {
                    items = open(state, cancellationToken).GetAsyncEnumerator(cancellationToken);
                }
            }
            catch (Exception ex)
            {
                await observer.EndAsync(new ContextRestoringStreamEnd(Opened: false, Completed: false, ex)).ConfigureAwait(false);
                throw;
            }

            var completed = false;
            Exception? error = null;
            try
            {
                while (true)
                {
                    bool more;
                    observer.StepStarting();
                    try
                    {
                        more = await MoveNextAsync(items, observer.Ambient).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (observer.EndsStream(ex))
                    {
                        error = ex;
                        more = false;
                    }
                    catch (Exception ex)
                    {
                        error = ex;
                        throw;
                    }
                    finally
                    {
                        observer.StepEnded();
                    }

                    if (!more)
                    {
                        break;
                    }

                    var item = items.Current;
                    await observer.OnItemAsync(item, cancellationToken).ConfigureAwait(false);
                    yield return item;
                }

                completed = true;
            }
            finally
            {
                try
                {
                    await DisposeAsync(items, observer.Ambient).ConfigureAwait(false);
                }
                finally
                {
                    await observer.EndAsync(new ContextRestoringStreamEnd(Opened: true, completed, error)).ConfigureAwait(false);
                }
            }
        }

        while (observer.TryTakeTrailer(out var trailer))
        {
            yield return trailer;
        }
    }

    /// <summary>One step, in the ambient state: the synchronous part runs in it, and its continuations carry it.</summary>
    private static ValueTask<bool> MoveNextAsync<T>(IAsyncEnumerator<T> items, AgentBillAmbient ambient)
    {
        using (ambient.Enter())
        {
            return items.MoveNextAsync();
        }
    }

    private static ValueTask DisposeAsync<T>(IAsyncEnumerator<T> items, AgentBillAmbient ambient)
    {
        using (ambient.Enter())
        {
            return items.DisposeAsync();
        }
    }

    /// <summary>An observer that only restores a state: it changes nothing, so it is a struct and costs nothing.</summary>
    private readonly struct RestoreOnly<T>(AgentBillAmbient ambient) : IContextRestoringObserver<T>
    {
        public AgentBillAmbient Ambient => ambient;

        public ValueTask<bool> StartAsync(CancellationToken cancellationToken) => new(true);

        public void StepStarting()
        {
        }

        public void StepEnded()
        {
        }

        public ValueTask OnItemAsync(T item, CancellationToken cancellationToken) => default;

        public bool EndsStream(Exception error) => false;

        public ValueTask EndAsync(ContextRestoringStreamEnd end) => default;

        public bool TryTakeTrailer(out T item)
        {
            item = default!;
            return false;
        }
    }
}
