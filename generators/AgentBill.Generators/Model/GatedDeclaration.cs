namespace AgentBill.Generators.Model;

/// <summary>A <c>[Gate]</c> declaration: the method whose gating body is emitted (null when it cannot be intercepted) and its problems.</summary>
internal sealed record GatedDeclaration(GatedMethod? Method, EquatableArray<DiagnosticInfo> Problems);
