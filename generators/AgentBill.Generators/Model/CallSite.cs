namespace AgentBill.Generators.Model;

/// <summary>One intercepted call: where it is (the compiler's opaque location data), what it binds to, and which gate governs it.</summary>
/// <param name="FilePath">The file that holds the call.</param>
/// <param name="Version">The location data's version.</param>
/// <param name="Data">The location data.</param>
/// <param name="DisplayLocation">Where the call is, for the comment above its interceptor.</param>
/// <param name="Called">The method the call binds to: the gated method, or an override or implementation of it.</param>
/// <param name="BodyTypeArguments">The type argument list that forwards the call to the gated method's body, or empty.</param>
/// <param name="CastsResult">Whether the body's result must be cast to the called override's (covariant) return type.</param>
/// <param name="Method">The gated method.</param>
internal sealed record CallSite(string FilePath, int Version, string Data, string DisplayLocation, MethodSignature Called, string BodyTypeArguments, bool CastsResult, GatedMethod Method);
