namespace AgentBill;

/// <summary>The error of an integration given no <see cref="IAgentBill"/> and finding none registered. Linked into each integration package.</summary>
internal static class MissingBill
{
    public static InvalidOperationException Exception()
        => new($"No {nameof(IAgentBill)} was given and none is registered; call services.AddAgentBill() or pass one to UseAgentBill.");
}
