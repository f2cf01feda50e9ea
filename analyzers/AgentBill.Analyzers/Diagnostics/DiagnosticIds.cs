namespace AgentBill.Analyzers;

/// <summary>The ids of every AgentBill analyzer diagnostic; the code fixes refer to them too.</summary>
internal static class DiagnosticIds
{
    public const string UngatedLlmCall = "AGB0001";
    public const string UnsettledReservation = "AGB0002";
    public const string UncheckedApproval = "AGB0003";
    public const string GateOutsideToolLoop = "AGB0004";
    public const string UnresolvedLlmApi = "AGB0005";
}
