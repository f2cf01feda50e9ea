namespace AgentBill.Analyzers;

/// <summary>
/// Diagnostic property keys through which an analyzer tells its code fix that the fix was validated and applies
/// (so a fix is only offered where it compiles).
/// </summary>
internal static class FixProperties
{
    /// <summary>AGB0001: the enclosing member is an ordinary source method and <c>AgentBill.GateAttribute</c> exists.</summary>
    public const string CanAddGate = "AgentBill.CanAddGate";

    /// <summary>AGB0001: the first additional location is a <c>Build()</c> call of a builder chain that lacks UseAgentBill().</summary>
    public const string BuildCall = "AgentBill.BuildCall";

    /// <summary>
    /// AGB0004 (no context capture): the first additional location is the first step of the chain, before which
    /// <c>.UseAgentBillContext()</c> goes.
    /// </summary>
    public const string FirstStep = "AgentBill.FirstStep";

    /// <summary>AGB0002: the reservation is held by a plain local declaration that can become <c>await using</c>.</summary>
    public const string CanAwaitUsing = "AgentBill.CanAwaitUsing";

    public const string True = "true";
}
