using AgentBill.Server.Dashboard;
using AgentBill.Server.Keys;
using AgentBill.Server.Ledger;
using AgentBill.Server.Protocol;
using AgentBill.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the AgentBill server's endpoints.</summary>
public static class AgentBillServerEndpoints
{
    /// <summary>
    /// Maps every endpoint of the server: AgentBill's HTTP protocol (<c>/preflight</c>, <c>/events</c>, <c>/budget</c>,
    /// <c>/tasks/…</c>, <c>/checkpoint</c>, <c>/health</c>), the ledger endpoints the .NET client uses (<c>/ledger/…</c>),
    /// key administration (<c>/admin/keys</c>) and the dashboard (<c>/dashboard</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapAgentBillServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every endpoint a key reaches counts against that key's rate limit.
        var keyed = endpoints.MapGroup(string.Empty).AddEndpointFilter<KeyRateLimitFilter>();
        ProtocolEndpoints.Map(keyed);
        LedgerEndpoints.Map(keyed);
        KeyEndpoints.Map(keyed);
        DashboardEndpoints.Map(keyed);
        return endpoints;
    }
}
