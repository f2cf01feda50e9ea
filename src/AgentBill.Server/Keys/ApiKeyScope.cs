namespace AgentBill.Server.Keys;

/// <summary>What an API key may do. An admin key may also do everything a metering key may.</summary>
public enum ApiKeyScope
{
    /// <summary>Preflight, record, release, read one customer's budget and tasks: what an agent's SDK needs.</summary>
    Metering = 0,

    /// <summary>Everything, including budgets, keys, reports and the dashboard.</summary>
    Admin = 1,
}
