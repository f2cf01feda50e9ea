using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Ledger;

/// <summary>Maps the ledger endpoints of the .NET client (/ledger/...).</summary>
internal static class LedgerEndpoints
{
    // Work in progress on its own branch: this file is where its endpoints are mapped.
    public static void Map(IEndpointRouteBuilder endpoints) => ArgumentNullException.ThrowIfNull(endpoints);
}
