using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Dashboard;

/// <summary>Maps the dashboard (/dashboard).</summary>
internal static class DashboardEndpoints
{
    // Work in progress on its own branch: this file is where its endpoints are mapped.
    public static void Map(IEndpointRouteBuilder endpoints) => ArgumentNullException.ThrowIfNull(endpoints);
}
