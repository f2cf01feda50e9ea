namespace AgentBill.Generators.Model;

/// <summary>
/// Everything the emitter needs about one gated method: no symbols or syntax, so equal methods compare equal
/// across compilations and the pipeline can cache them.
/// </summary>
/// <remarks>
/// <see cref="BodyName"/> names the class in <c>AgentBill.Generated</c> that holds the method's gating body, emitted
/// once from its declaration (<see cref="IsInSource"/>) or, for a method of a referenced assembly, once beside its interceptors.
/// </remarks>
/// <param name="DisplayName">The method as messages name it.</param>
/// <param name="BodyName">The class of its gating body.</param>
/// <param name="IsInSource">Whether it is declared in this compilation.</param>
/// <param name="Signature">Its declaration.</param>
/// <param name="IsAccessible">Whether generated code can call it directly; otherwise an UnsafeAccessor calls it.</param>
/// <param name="Shape">How it returns.</param>
/// <param name="ElementType">The T of Task&lt;T&gt;, ValueTask&lt;T&gt; or IAsyncEnumerable&lt;T&gt;.</param>
/// <param name="Gate">The attribute's settings.</param>
/// <param name="CustomerParameter">The parameter marked [CustomerId].</param>
/// <param name="CancellationParameter">The CancellationToken parameter, which flows to the store calls.</param>
/// <param name="Client">The member of its type that holds its IAgentBill.</param>
internal sealed record GatedMethod(
    string DisplayName,
    string BodyName,
    bool IsInSource,
    MethodSignature Signature,
    bool IsAccessible,
    ReturnShape Shape,
    string? ElementType,
    GateSettings Gate,
    string? CustomerParameter,
    string? CancellationParameter,
    ClientMember? Client);
