namespace AgentBill;

/// <summary>How a stream run by <see cref="ContextRestoringAsyncEnumerable"/> ended.</summary>
/// <param name="Opened">Whether the stream was made; <see langword="false"/> when making it threw.</param>
/// <param name="Completed">Whether it was read to its end (or ended quietly by <see cref="IContextRestoringObserver{T}.EndsStream"/>).</param>
/// <param name="Error">The exception a step (or making the stream) threw, or <see langword="null"/>.</param>
public readonly record struct ContextRestoringStreamEnd(bool Opened, bool Completed, Exception? Error)
{
    /// <summary>Gets whether the consumer stopped reading before the end (disposed the enumerator early), with no error.</summary>
    public bool Abandoned => !Completed && Error is null;
}
