namespace AgentBill;

/// <summary>
/// What was charged and called inside one <see cref="AgentBillContext"/> and every context nested in it: the units
/// of each meter, the model calls with their tokens, and the refusals. Safe to read while calls are still running.
/// </summary>
public sealed class AgentBillUsage
{
    // One field per meter rather than an array: every gated call's context may own one of these.
    private long _units;
    private long _tokens;
    private long _microUsd;
    private long _inputTokens;
    private long _outputTokens;
    private int _modelCalls;
    private int _refusals;
    private int _recordFailures;
    private int _estimated;

    /// <summary>Gets the caller-defined units charged.</summary>
    public long Units => Charged(UsageMeter.Units);

    /// <summary>Gets the tokens charged on the <see cref="UsageMeter.Tokens"/> meter.</summary>
    public long Tokens => Charged(UsageMeter.Tokens);

    /// <summary>Gets the money charged, in micro-USD.</summary>
    public long MicroUsd => Charged(UsageMeter.MicroUsd);

    /// <summary>Gets the model calls that were settled.</summary>
    public int ModelCalls => Volatile.Read(ref _modelCalls);

    /// <summary>Gets the input tokens of the settled model calls.</summary>
    public long InputTokens => Interlocked.Read(ref _inputTokens);

    /// <summary>Gets the output tokens of the settled model calls.</summary>
    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    /// <summary>Gets the calls the budget refused (preflights, top-ups and model calls).</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>
    /// Gets the charges that could not be recorded (the store unreachable after every retry): what they were for
    /// happened but is not in the ledger, and each was logged with its reservation and units.
    /// </summary>
    public int RecordFailures => Volatile.Read(ref _recordFailures);

    /// <summary>Gets whether any model call was charged from an estimate because its provider's usage was missing or not credible.</summary>
    public bool IsEstimated => Volatile.Read(ref _estimated) != 0;

    /// <summary>Gets the units charged on one meter.</summary>
    /// <param name="meter">The meter.</param>
    public long Charged(UsageMeter meter) => Interlocked.Read(ref Slot(meter));

    internal void AddCharge(UsageMeter meter, long units) => Interlocked.Add(ref Slot(meter), units);

    private ref long Slot(UsageMeter meter)
    {
        switch (meter)
        {
            case UsageMeter.Tokens:
                return ref _tokens;
            case UsageMeter.MicroUsd:
                return ref _microUsd;
            default:
                return ref _units;
        }
    }

    internal void AddModelCall(long inputTokens, long outputTokens, bool estimated)
    {
        Interlocked.Increment(ref _modelCalls);
        Interlocked.Add(ref _inputTokens, inputTokens);
        Interlocked.Add(ref _outputTokens, outputTokens);
        if (estimated)
        {
            Volatile.Write(ref _estimated, 1);
        }
    }

    internal void AddRefusal() => Interlocked.Increment(ref _refusals);

    internal void AddRecordFailure() => Interlocked.Increment(ref _recordFailures);
}
