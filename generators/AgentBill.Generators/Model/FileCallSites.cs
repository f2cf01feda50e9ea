namespace AgentBill.Generators.Model;

/// <summary>The calls of one source file: each file's interceptors are emitted, and cached, on their own.</summary>
/// <param name="FilePath">The source file.</param>
/// <param name="Sites">Its intercepted calls, in source order.</param>
internal sealed record FileCallSites(string FilePath, EquatableArray<CallSite> Sites);
