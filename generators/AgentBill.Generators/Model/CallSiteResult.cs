namespace AgentBill.Generators.Model;

/// <summary>A call of a gated method: the site to intercept, or the problem that stops it.</summary>
internal sealed record CallSiteResult(CallSite? Site, DiagnosticInfo? Problem);
