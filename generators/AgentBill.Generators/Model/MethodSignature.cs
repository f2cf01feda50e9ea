namespace AgentBill.Generators.Model;

/// <summary>
/// How a method is declared, as generated code must repeat it: the gated method (for its gating body) or the
/// method a call binds to (for its interceptor, which may be an override or an implementation of the gated one).
/// </summary>
/// <param name="ContainingType">The fully qualified type that declares it.</param>
/// <param name="MethodName">Its name.</param>
/// <param name="IsStatic">Whether it is static.</param>
/// <param name="IsExtension">Whether it is an extension method.</param>
/// <param name="IsValueTypeMember">Whether its type is a struct (an accessor then takes the type by value).</param>
/// <param name="TypeParameters">Its type's type parameters, then its own.</param>
/// <param name="MethodTypeParameters">Its own type parameters.</param>
/// <param name="ConstraintClauses">The where clauses of all of them.</param>
/// <param name="ReturnType">The fully qualified return type.</param>
/// <param name="Parameters">Its parameters.</param>
internal sealed record MethodSignature(
    string ContainingType,
    string MethodName,
    bool IsStatic,
    bool IsExtension,
    bool IsValueTypeMember,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> MethodTypeParameters,
    string ConstraintClauses,
    string ReturnType,
    EquatableArray<ParameterModel> Parameters);
