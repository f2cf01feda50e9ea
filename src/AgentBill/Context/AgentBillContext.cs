using AgentBill.Ledger;
using AgentBill.Validation;

namespace AgentBill;

/// <summary>
/// The ambient parties of the current async flow: whose budget pays (<see cref="CustomerId"/>), which task the calls
/// belong to, which agent makes them, and the hold they run under. Every integration reads and sets this one
/// context: a <c>[Gate]</c> method's body runs inside one naming its customer, task, agent and reservation; the
/// chat and embedding gates, the agent frameworks' middleware and <see cref="IAgentBill"/> itself (for a request
/// that names no customer or task) read it.
/// <code>
/// using (AgentBillContext.Begin(customerId: "acme", taskRef: "report-42"))
/// {
///     await chatClient.GetResponseAsync("...");     // charged to acme, counted against task report-42
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// Who pays, in order: a value named on the call (a request's <c>CustomerId</c>, a <c>[CustomerId]</c> parameter,
/// a chat call's <c>agentbill.customer_id</c> property) › the innermost context that names one › a gate's customer
/// selector › the client's <see cref="AgentBillOptions.DefaultCustomerId"/>, or <see cref="CustomerRequiredException"/>
/// when <see cref="AgentBillOptions.RequireCustomer"/> is on. Task and agent follow the same order.
/// A nested context inherits whatever it does not set.
/// </para>
/// <para>
/// The context flows with the async flow (an <see cref="AsyncLocal{T}"/>, like
/// <c>FunctionInvokingChatClient.CurrentContext</c>): across <c>await</c>, <c>ConfigureAwait(false)</c> and
/// <c>Task.Run</c>, never into a flow that did not start inside it. Something that runs later, such as a stream
/// enumerated after the method that made it returned, must capture <see cref="Current"/> when it is made and
/// <see cref="Restore"/> it when it runs; the AgentBill gates do, and a chat pipeline's <c>UseAgentBillContext()</c>
/// does it for the middleware (a tool loop) between the caller and the gate.
/// </para>
/// </remarks>
public sealed class AgentBillContext : IDisposable
{
    // The one ambient state (AgentBillAmbient): an AgentBillContext, or the GateScope of a gated call whose context
    // nobody has asked for yet (a gated call whose body never reads the context, or makes no call that does, makes
    // none), or a CallFrame of either with the call in flight in it.
    private static readonly AsyncLocal<object?> Ambient = new();

    private object? _restoreOnDispose;
    private AgentBillUsage? _usage;
    private long _coveredUnits;
    private long _heldUnderCeiling;
    private bool _disposed;

    // Guards _heldUnderCeiling; only a context with a ceiling has one. Private: a lock on this public type could be
    // taken by anyone.
    private readonly object? _ceilingLock;

    private AgentBillContext(AgentBillContext? parent, string? customerId, string? taskRef, string? agentId, Reservation? reservation, GateScope? gate, SpendingCeiling? ceiling = null)
    {
        Ceiling = ceiling;
        _ceilingLock = ceiling is null ? null : new object();
        Parent = parent;
        CustomerId = customerId ?? parent?.CustomerId;
        TaskRef = taskRef ?? parent?.TaskRef;
        AgentId = agentId ?? parent?.AgentId;
        Reservation = reservation ?? parent?.Reservation;
        Gate = gate;
    }

    /// <summary>Gets the context of the current async flow, or <see langword="null"/> outside any.</summary>
    public static AgentBillContext? Current => ContextOf(Ambient.Value);

    /// <summary>Gets the context this one was started in, or <see langword="null"/>.</summary>
    public AgentBillContext? Parent { get; }

    /// <summary>Gets the customer whose budget pays for calls that name none, or <see langword="null"/>.</summary>
    public string? CustomerId { get; }

    /// <summary>Gets the task calls belong to when they name none, or <see langword="null"/>.</summary>
    public string? TaskRef { get; }

    /// <summary>Gets the agent model calls are charged to when they name none, or <see langword="null"/> for the gate's own.</summary>
    public string? AgentId { get; }

    /// <summary>Gets the hold the flow runs under: the innermost gated call's reservation, or <see langword="null"/>.</summary>
    public Reservation? Reservation { get; }

    /// <summary>Gets what was charged and called in this context and every one nested in it.</summary>
    /// <remarks>Made the first time something is reported to it or it is read: a gated call nobody asks about makes none.</remarks>
    public AgentBillUsage Usage
    {
        get
        {
            var usage = Volatile.Read(ref _usage);
            return usage ?? Interlocked.CompareExchange(ref _usage, new AgentBillUsage(), null) ?? _usage!;
        }
    }

    /// <summary>Gets this context's own cap on what the calls inside it may spend together, or <see langword="null"/>.</summary>
    public SpendingCeiling? Ceiling { get; }

    /// <summary>
    /// Gets what this context's <see cref="Ceiling"/> still leaves for new holds: its limit less what was charged
    /// inside the context on its meter and what open holds made inside it hold; <see langword="null"/> without a ceiling.
    /// </summary>
    public long? CeilingRemaining
    {
        get
        {
            if (Ceiling is not { } ceiling)
            {
                return null;
            }

            lock (_ceilingLock!)
            {
                return Math.Max(0, ceiling.Limit - Usage.Charged(ceiling.Meter) - _heldUnderCeiling);
            }
        }
    }

    /// <summary>Gets the gated call this context belongs to, when it is a gate's.</summary>
    internal GateScope? Gate { get; }

    /// <summary>Gets the units charged inside this context to its reservation's customer and meter, by holds other than its own.</summary>
    internal long CoveredUnits => Interlocked.Read(ref _coveredUnits);

    /// <summary>Starts a context inside the current one; dispose it to restore the one before.</summary>
    /// <param name="customerId">The customer whose budget pays, or <see langword="null"/> to inherit it.</param>
    /// <param name="taskRef">The task the calls belong to, or <see langword="null"/> to inherit it.</param>
    /// <param name="agentId">The agent the model calls are charged to, or <see langword="null"/> to inherit it.</param>
    /// <param name="ceiling">A cap on what the calls inside the context may spend together, or <see langword="null"/> for none of its own (an outer context's still applies).</param>
    /// <returns>The new current context.</returns>
    /// <exception cref="ArgumentException">An id is empty, too long or holds a control character; nothing changed.</exception>
    public static AgentBillContext Begin(string? customerId = null, string? taskRef = null, string? agentId = null, SpendingCeiling? ceiling = null)
    {
        var previous = Ambient.Value;
        var context = new AgentBillContext(
            ContextOf(previous),
            Guard.OptionalId(customerId, nameof(customerId)),
            Guard.OptionalId(taskRef, nameof(taskRef)),
            Guard.OptionalId(agentId, nameof(agentId)),
            reservation: null,
            gate: null,
            ceiling);
        context._restoreOnDispose = previous;

        // A context begun inside a call in flight keeps the call: gates further down still see it covered.
        Ambient.Value = previous is CallFrame frame ? new CallFrame(context, frame.Call) : context;
        return context;
    }

    /// <summary>
    /// Makes a context captured earlier current until the returned value is disposed, for work that runs later
    /// than the call that started it (a stream's steps): it then charges the parties the call was made for.
    /// </summary>
    /// <param name="context">The captured context; <see langword="null"/> makes no context current.</param>
    /// <returns>Restores the context that was current before.</returns>
    public static Restoration Restore(AgentBillContext? context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Restoration(previous);
    }

    /// <summary>Reports a settled model call to a context and every context it is nested in, for their <see cref="Usage"/>.</summary>
    /// <param name="context">The context the call was made in, or <see langword="null"/>.</param>
    /// <param name="inputTokens">Its input tokens.</param>
    /// <param name="outputTokens">Its output tokens.</param>
    /// <param name="usageEstimated">Whether its charge came from an estimate.</param>
    public static void ReportModelCall(AgentBillContext? context, long inputTokens, long outputTokens, bool usageEstimated)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            at.Usage.AddModelCall(inputTokens, outputTokens, usageEstimated);
        }
    }

    /// <summary>Reports a charge that could not be recorded to a context and every context it is nested in.</summary>
    /// <param name="context">The context the call was made in, or <see langword="null"/>.</param>
    public static void ReportRecordFailure(AgentBillContext? context)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            at.Usage.AddRecordFailure();
        }
    }

    /// <summary>Reports a refused call to a context and every context it is nested in.</summary>
    /// <param name="context">The context the call was made in, or <see langword="null"/>.</param>
    public static void ReportRefusal(AgentBillContext? context)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            at.Usage.AddRefusal();
        }
    }

    /// <summary>Ends the context, restoring the one it was started in.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (ReferenceEquals(Current, this))
        {
            Ambient.Value = _restoreOnDispose;
        }
    }

    /// <summary>A gated call's context: its reservation's parties, nested in the context the call was made in.</summary>
    internal static AgentBillContext ForGate(AgentBillContext? parent, Reservation reservation, GateScope gate)
        => new(parent, reservation.Result.CustomerId, reservation.Result.TaskRef, reservation.Result.AgentId, reservation, gate);

    /// <summary>Makes a gated call (or what it replaced) current, returning what it replaced. For gated calls, which restore it themselves.</summary>
    internal static object? Swap(object? gateOrContext)
    {
        var previous = Ambient.Value;
        Ambient.Value = gateOrContext;
        return previous;
    }

    /// <summary>Makes an ambient state current until the returned value is disposed (<see cref="AgentBillAmbient.Enter"/>).</summary>
    internal static Restoration EnterAmbient(object? value)
    {
        var previous = Ambient.Value;
        Ambient.Value = value;
        return new Restoration(previous);
    }

    /// <summary>Gets the raw ambient state, for <see cref="AgentBillAmbient"/>.</summary>
    internal static object? AmbientValue => Ambient.Value;

    /// <summary>The context of an ambient state: the context itself, a gated call's, or the one a call in flight runs in.</summary>
    internal static AgentBillContext? ContextOf(object? value) => CallFrame.Unwrap(value) switch
    {
        AgentBillContext context => context,
        GateScope gate => gate.Context,
        _ => null,
    };

    /// <summary>The innermost gated call of the current flow, past any context begun inside its body.</summary>
    internal static GateScope? CurrentGate()
    {
        var value = CallFrame.Unwrap(Ambient.Value);
        if (value is GateScope gate)
        {
            return gate;
        }

        for (var context = value as AgentBillContext; context is not null; context = context.Parent)
        {
            if (context.Gate is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>
    /// Reports a charge to a context and every context it is nested in. A context whose reservation pays from the same
    /// customer and meter (and is not the hold being settled) counts it as covered: its gated call records only
    /// what the calls inside it did not already charge.
    /// </summary>
    internal static void ReportCharge(AgentBillContext? context, string customerId, UsageMeter meter, long units, Reservation? settled)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            at.Usage.AddCharge(meter, units);
            if (at.Gate is not null && at.Reservation is { } reservation && !ReferenceEquals(reservation, settled)
                && reservation.Result.Meter == meter && string.Equals(reservation.Result.CustomerId, customerId, StringComparison.Ordinal))
            {
                Interlocked.Add(ref at._coveredUnits, units);
            }
        }
    }

    /// <summary>
    /// Holds units under this context's own <see cref="Ceiling"/> when it leaves room for them after what was charged
    /// inside the context and what its open holds hold. The rules across a chain of contexts are <see cref="RunCeilings"/>'.
    /// </summary>
    /// <returns>Whether the units are held.</returns>
    internal bool TryHoldUnderCeiling(long units)
    {
        var ceiling = Ceiling!;
        lock (_ceilingLock!)
        {
            if (BudgetRules.Available(ceiling.Limit, Usage.Charged(ceiling.Meter), _heldUnderCeiling) < units)
            {
                return false;
            }

            _heldUnderCeiling = BudgetRules.Add(_heldUnderCeiling, units);
            return true;
        }
    }

    /// <summary>Gives back units held under this context's own <see cref="Ceiling"/>.</summary>
    internal void ReleaseUnderCeiling(long units)
    {
        lock (_ceilingLock!)
        {
            _heldUnderCeiling = BudgetRules.Subtract(_heldUnderCeiling, units);
        }
    }

    /// <summary>Restores the ambient state that was current before <see cref="Restore"/> or <see cref="AgentBillAmbient.Enter"/>.</summary>
    public readonly struct Restoration : IDisposable
    {
        private readonly object? _previous;

        internal Restoration(object? previous) => _previous = previous;

        /// <summary>Makes the earlier context current again.</summary>
        public void Dispose() => Ambient.Value = _previous;
    }
}
