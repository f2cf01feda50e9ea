using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Keys;

/// <summary>Maps key administration (/admin/keys).</summary>
internal static class KeyEndpoints
{
    // Work in progress on its own branch: this file is where its endpoints are mapped.
    public static void Map(IEndpointRouteBuilder endpoints) => ArgumentNullException.ThrowIfNull(endpoints);
}
