using AgentBill.Validation;

namespace AgentBill;

/// <summary>The bounds every entry point checks, for integrations that must keep to them before they call the client.</summary>
public static class AgentBillLimits
{
    /// <summary>
    /// The largest amount one call may carry (a preflight's estimate, a record's units, a top-up). It keeps every sum
    /// a ledger computes exact in 64-bit integers and in the 53-bit integers of a Lua number.
    /// </summary>
    public const long MaxUnits = Guard.MaxUnits;
}
