using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Protocol;

/// <summary>Maps the SDK protocol (/preflight, /events, /budget, /tasks, /checkpoint, /health).</summary>
internal static class ProtocolEndpoints
{
    // Work in progress on its own branch: this file is where its endpoints are mapped.
    public static void Map(IEndpointRouteBuilder endpoints) => ArgumentNullException.ThrowIfNull(endpoints);
}
