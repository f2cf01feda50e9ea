namespace AgentBill.Redis.Wire;

/// <summary>
/// The first field of a reply that is not the operation's answer. The Lua writes them as <c>STATUS_NAME</c>
/// (<c>STATUS_CONFLICT_SETTLE</c>), which <see cref="LuaPositions"/> replaces with these texts when the library is built.
/// </summary>
internal static class ReplyStatus
{
    /// <summary>The slot's marker holds a newer epoch than the client sent: an operator acknowledged a loss; read it and send again.</summary>
    public const string Stale = "stale";

    /// <summary>The ledger's data was lost (<see cref="LedgerDataLostException"/>).</summary>
    public const string Lost = "lost";

    /// <summary>The client's clock is ahead of the server's by more than the bound; the server's time follows (<see cref="GuardReply"/>).</summary>
    public const string Skew = "skew";

    /// <summary>The idempotency key was used before with another request.</summary>
    public const string Conflict = "conflict";

    /// <summary>The named hold was settled before with another request.</summary>
    public const string ConflictSettle = "conflict-settle";

    /// <summary>A record names an open hold of another meter, agent or task (<see cref="MismatchReply"/>).</summary>
    public const string Mismatch = "mismatch";
}
