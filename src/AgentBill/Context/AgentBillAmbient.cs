namespace AgentBill;

/// <summary>
/// The one ambient state of an async flow, as every AgentBill integration reads and restores it: the
/// <see cref="AgentBillContext"/> (or the <c>[Gate]</c> call) the flow runs in, and the call in flight in it, if any (a
/// model call a gate holds for, a prompt function whose hold is opened later, an agent run). One
/// <see cref="AsyncLocal{T}"/> holds both, so capturing and restoring them is one step, like
/// <c>FunctionInvokingChatClient.CurrentContext</c>.
/// </summary>
/// <remarks>
/// Capture <see cref="Current"/> when a lazy call (a stream) is made, not when it is read, and <see cref="Enter"/> it
/// around each step (<see cref="ContextRestoringAsyncEnumerable"/> does). A context begun inside a call keeps the call;
/// <see cref="AgentBillContext.Restore"/> restores a context alone, with no call in flight.
/// </remarks>
public readonly struct AgentBillAmbient : IEquatable<AgentBillAmbient>
{
    // An AgentBillContext, a GateScope (a [Gate] call whose context nobody has asked for yet), or a CallFrame of either with a call.
    private readonly object? _value;

    private AgentBillAmbient(object? value) => _value = value;

    /// <summary>Gets the ambient state of the current async flow.</summary>
    public static AgentBillAmbient Current => new(AgentBillContext.AmbientValue);

    /// <summary>Gets the context of this state, or <see langword="null"/>.</summary>
    public AgentBillContext? Context => AgentBillContext.ContextOf(_value);

    /// <summary>Gets the call in flight in this state, or <see langword="null"/>.</summary>
    public object? Call => (_value as CallFrame)?.Call;

    /// <summary>A state with a context and no call in flight.</summary>
    /// <param name="context">The context, or <see langword="null"/> for none.</param>
    /// <returns>The state.</returns>
    public static AgentBillAmbient Of(AgentBillContext? context) => new(context);

    /// <summary>A state whose context is a <c>[Gate]</c> call's, made only when something asks for it.</summary>
    internal static AgentBillAmbient Of(GateScope gate) => new(gate);

    /// <summary>This state's context with another call in flight.</summary>
    /// <param name="call">The call, or <see langword="null"/> for none.</param>
    /// <returns>The state; this one when the call is already the one in flight.</returns>
    public AgentBillAmbient WithCall(object? call)
    {
        if (ReferenceEquals(call, Call))
        {
            return this;
        }

        var outer = CallFrame.Unwrap(_value);
        return new(call is null ? outer : new CallFrame(outer, call));
    }

    /// <summary>Makes this state current until the returned value is disposed.</summary>
    /// <returns>Restores the state that was current before.</returns>
    public AgentBillContext.Restoration Enter() => AgentBillContext.EnterAmbient(_value);

    /// <summary>Makes a call the one in flight, in the current context, until the returned value is disposed.</summary>
    /// <param name="call">The call, or <see langword="null"/> for none: code that runs inside a call but is not part of it.</param>
    /// <returns>Restores the state that was current before.</returns>
    public static AgentBillContext.Restoration EnterCall(object? call) => Current.WithCall(call).Enter();

    /// <inheritdoc />
    public bool Equals(AgentBillAmbient other) => ReferenceEquals(_value, other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AgentBillAmbient other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_value);

    /// <summary>Whether two states are the same.</summary>
    /// <param name="left">A state.</param>
    /// <param name="right">Another.</param>
    public static bool operator ==(AgentBillAmbient left, AgentBillAmbient right) => left.Equals(right);

    /// <summary>Whether two states differ.</summary>
    /// <param name="left">A state.</param>
    /// <param name="right">Another.</param>
    public static bool operator !=(AgentBillAmbient left, AgentBillAmbient right) => !left.Equals(right);
}

/// <summary>A context (or a <c>[Gate]</c> call) with a call in flight in it.</summary>
internal sealed class CallFrame(object? outer, object call)
{
    /// <summary>Gets the context or gated call the call runs in.</summary>
    public object? Outer { get; } = outer;

    /// <summary>Gets the call.</summary>
    public object Call { get; } = call;

    /// <summary>The context or gated call of an ambient value, without its call.</summary>
    public static object? Unwrap(object? value) => value is CallFrame frame ? frame.Outer : value;
}
