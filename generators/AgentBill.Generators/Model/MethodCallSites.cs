namespace AgentBill.Generators.Model;

/// <summary>
/// Every call of one gated method in the compilation: its interceptors are emitted, and cached, on their own.
/// One interceptor carries the <c>[InterceptsLocation]</c> of every call of the same shape, from every file, so
/// the compiler compiles one small method per gated method and call shape, not one per method and calling file.
/// </summary>
/// <param name="Method">The gated method.</param>
/// <param name="Sites">Its intercepted calls, in the order of the compilation's files.</param>
internal sealed record MethodCallSites(GatedMethod Method, EquatableArray<CallSite> Sites);
