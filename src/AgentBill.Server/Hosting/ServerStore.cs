using AgentBill.Ledger;

namespace AgentBill.Server.Hosting;

/// <summary>The store under the client's resilience wrapper: what the server keeps its keys, limits and reports beside.</summary>
internal static class ServerStore
{
    public static IBudgetLedger Of(IBudgetLedger ledger) => ledger is ResilientBudgetLedger resilient ? resilient.InnerLedger : ledger;
}
