namespace AgentBill.Server.Keys;

/// <summary>The names the server's key authentication and its two authorization policies are registered under.</summary>
public static class ApiKeyAuthentication
{
    /// <summary>The authentication scheme: <c>Authorization: Bearer agb_…</c>.</summary>
    public const string Scheme = "AgentBillKey";

    /// <summary>The claim that carries the key's <see cref="ApiKeyScope"/> (<c>metering</c> or <c>admin</c>).</summary>
    public const string ScopeClaim = "agentbill:scope";

    /// <summary>The claim that carries the key's id (the first 16 hex digits of its hash): the rate limit's partition.</summary>
    public const string KeyIdClaim = "agentbill:key";

    /// <summary>The policy every protocol endpoint requires: any active key.</summary>
    public const string MeteringPolicy = "agentbill:metering";

    /// <summary>The policy of budgets, keys, reports and the dashboard: an active admin key.</summary>
    public const string AdminPolicy = "agentbill:admin";

    /// <summary>The claim value of <paramref name="scope"/>.</summary>
    public static string ClaimValue(ApiKeyScope scope) => scope == ApiKeyScope.Admin ? "admin" : "metering";
}
