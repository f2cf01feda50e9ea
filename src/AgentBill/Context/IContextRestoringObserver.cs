namespace AgentBill;

/// <summary>
/// What a stream run by <see cref="ContextRestoringAsyncEnumerable"/> reports to: the state each step runs in, its
/// start, each step and item, and how it ended. The model-call gates settle a stream's usage from it; an agent run
/// reads its refusals from it.
/// </summary>
/// <typeparam name="T">The stream's items.</typeparam>
/// <remarks>
/// The enumerator keeps the observer as it is given; an async method of a struct works on a copy of it, so an
/// observer whose <see cref="StartAsync"/>, <see cref="OnItemAsync"/> or <see cref="EndAsync"/> changes its state is a class.
/// </remarks>
public interface IContextRestoringObserver<T>
{
    /// <summary>Gets the ambient state every step of the stream runs in (read before each step; it may change once <see cref="StartAsync"/> has run).</summary>
    AgentBillAmbient Ambient { get; }

    /// <summary>Runs first, in <see cref="Ambient"/>, when enumeration starts (a gate holds the call's estimate here).</summary>
    /// <param name="cancellationToken">The enumeration's token.</param>
    /// <returns>Whether to make the stream; <see langword="false"/> ends it with only the items of <see cref="TryTakeTrailer"/>.</returns>
    ValueTask<bool> StartAsync(CancellationToken cancellationToken);

    /// <summary>A step of the stream is about to be asked for: the source works on the call until <see cref="StepEnded"/>.</summary>
    void StepStarting();

    /// <summary>The step asked for has ended: the consumer holds its item, or the stream has ended.</summary>
    void StepEnded();

    /// <summary>An item the stream produced, seen before the consumer gets it.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">The enumeration's token.</param>
    /// <returns>Completes when the item is accounted for.</returns>
    ValueTask OnItemAsync(T item, CancellationToken cancellationToken);

    /// <summary>Whether an exception a step threw ends the stream quietly, as if it had completed, rather than reaching the consumer.</summary>
    /// <param name="error">The exception.</param>
    /// <returns><see langword="true"/> to end the stream and yield the trailing items.</returns>
    bool EndsStream(Exception error);

    /// <summary>The stream has ended: read to its end, failed, or abandoned by its consumer. Runs whatever happened.</summary>
    /// <param name="end">How it ended.</param>
    /// <returns>Completes when the end is accounted for.</returns>
    ValueTask EndAsync(ContextRestoringStreamEnd end);

    /// <summary>An item to yield after the stream completed (or instead of a stream <see cref="StartAsync"/> did not make).</summary>
    /// <param name="item">The item.</param>
    /// <returns>Whether there is one; asked again until there is none.</returns>
    bool TryTakeTrailer(out T item);
}
