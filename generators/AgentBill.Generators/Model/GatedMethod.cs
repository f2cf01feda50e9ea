namespace AgentBill.Generators.Model;

/// <summary>
/// Everything the emitter needs about one gated method: no symbols or syntax, so equal methods compare equal
/// across compilations and the pipeline can cache them.
/// </summary>
/// <remarks>
/// <see cref="BodyName"/> names the class in <c>AgentBill.Generated</c> that holds the method's gating body, emitted
/// once from its declaration (<see cref="IsInSource"/>) or, for a method of a referenced assembly, once per calling file.
/// </remarks>
internal sealed record GatedMethod(
    string DisplayName,
    string BodyName,
    bool IsInSource,
    string ContainingType,
    string MethodName,
    bool IsStatic,
    bool IsExtension,
    bool IsAccessible,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> MethodTypeParameters,
    string ConstraintClauses,
    string ReturnType,
    ReturnShape Shape,
    string? ElementType,
    EquatableArray<ParameterModel> Parameters,
    GateSettings Gate,
    string? CustomerParameter,
    string? CancellationParameter,
    ClientMember? Client)
{
    public bool HasRefParameters => Parameters.Any(static p => p.Modifier.Length > 0);
}
