namespace AgentBill.Redis.Wire;

// The positions of every key, argument and reply field the scripts exchange with C#, named once. C# fills and
// reads arrays by these enums; LuaPositions puts the same enums' numbers into the Lua the library is built
// with, so neither side counts positions by hand. Lua is 1-based: a key or argument at enum value v is KEYS[v] or
// ARGV[v]; a reply field at enum value v is Lua index v + 1 (C# reads it at index v).

/// <summary>The keys of every script: the customer's (or the global sweeper's), then the global scope's when they can join.</summary>
internal enum LedgerKey
{
    /// <summary>The customer's hash: budgets, counters, open holds, remembered answers and bookkeeping fields.</summary>
    Book = 1,

    /// <summary>Open holds by expiry (score: when each returns its units).</summary>
    HoldExpiry,

    /// <summary>Open holds by agent, task, meter and age (all scores 0, ordered by member), for the oldest of one kind and for paging.</summary>
    HoldIndex,

    /// <summary>Remembered answers by the time they are forgotten.</summary>
    MemoryExpiry,

    /// <summary>The loss marker of the customer's hash slot (the ledger's epoch key on a single server).</summary>
    Marker,

    /// <summary>The global scope's hash: its budgets and counters.</summary>
    GlobalBook,

    /// <summary>Each customer hold's share of a global budget.</summary>
    GlobalShares,

    /// <summary>Global shares by expiry.</summary>
    GlobalExpiry,
}

/// <summary>The arguments every script takes first.</summary>
internal enum CommonArg
{
    /// <summary>'1' when the global keys are present.</summary>
    HasGlobal = 1,

    /// <summary>The client's time, in Unix milliseconds.</summary>
    ClientNow,

    /// <summary>'1' to judge time by the server's clock (a client time ahead of it past the bound is refused), '0' to use the client's.</summary>
    ServerClock,

    /// <summary>How far, in milliseconds, the client's time may be ahead of the server's when the script runs.</summary>
    MaxSkew,

    /// <summary>The customer's hash tag: it names the customer's global shares.</summary>
    Tag,

    /// <summary>The ledger epoch the client knows.</summary>
    Epoch,

    /// <summary>'1' when the client has seen this slot's marker before, so its absence means the data was lost.</summary>
    Seen,

    /// <summary>How long, in milliseconds, the keys of a customer without a budget outlive its last activity.</summary>
    Retention,

    /// <summary>The first argument of a script's own.</summary>
    First,
}

/// <summary>
/// The first fields of a reply that stopped before the operation ran. Every reply, these and each operation's own,
/// ends with one more field: the ledger's now of the call in Unix ms ('' when the guard stopped before reading it),
/// which C# takes off before reading the rest.
/// </summary>
internal enum GuardReply
{
    /// <summary><see cref="ReplyStatus.Lost"/>, <see cref="ReplyStatus.Stale"/>, <see cref="ReplyStatus.Skew"/>, or the operation's own first field.</summary>
    Status = 0,

    /// <summary>For 'skew': the server's time in Unix milliseconds.</summary>
    ServerNow,
}

/// <summary>The arguments of a call that reserve.lua and charge.lua both take, after the common ones.</summary>
internal enum CallArg
{
    /// <summary>The agent.</summary>
    Agent = CommonArg.First,

    /// <summary>The task ('' none).</summary>
    Task,

    /// <summary>The meter.</summary>
    Meter,

    /// <summary>The units to hold or charge.</summary>
    Units,

    /// <summary>The call's day candidates: previous, current and next name, then the current one's start and end (Unix ms), separated by <see cref="RedisKeys.FieldSeparator"/>; the ledger's now picks one.</summary>
    Day,

    /// <summary>The call's week candidates, as for <see cref="Day"/>.</summary>
    Week,

    /// <summary>The call's month candidates, as for <see cref="Day"/>.</summary>
    Month,

    /// <summary>The default customer limit ('' none).</summary>
    DefaultLimit,

    /// <summary>The default customer budget's period.</summary>
    DefaultPeriod,

    /// <summary>The idempotency key ('' none).</summary>
    Key,

    /// <summary>Milliseconds from now the answer is remembered.</summary>
    Window,

    /// <summary>What a repeat must match to be a replay.</summary>
    Fingerprint,

    /// <summary>The first argument of a script's own.</summary>
    First,
}

/// <summary>The arguments of reserve.lua, after <see cref="CallArg"/>.</summary>
internal enum ReserveArg
{
    /// <summary>The hold's id.</summary>
    Id = CallArg.First,

    /// <summary>Milliseconds from now until the hold expires.</summary>
    Ttl,

    /// <summary>The most open holds one customer may have.</summary>
    HoldCap,
}

/// <summary>The reply of reserve.lua and topup.lua.</summary>
internal enum ReserveReply
{
    /// <summary>'1' approved, '0' refused, or <see cref="ReplyStatus.Conflict"/>.</summary>
    Approved = 0,

    /// <summary>The refusal reason, a <see cref="RefusalReason"/> number (<c>REASON_*</c> in the Lua).</summary>
    Reason,

    /// <summary>The refusing budget's kind ('' none).</summary>
    Kind,

    /// <summary>Its meter.</summary>
    Meter,

    /// <summary>Its name.</summary>
    Name,

    /// <summary>What is left ('' unlimited).</summary>
    Remaining,

    /// <summary>The hold's id ('' none).</summary>
    Id,

    /// <summary>The units held.</summary>
    Held,

    /// <summary>When the hold expires ('' none).</summary>
    ExpiresAt,

    /// <summary>'1' for a replayed answer.</summary>
    Replay,

    /// <summary>For a budget refusal: the budget's period name.</summary>
    Period,

    /// <summary>Its limit.</summary>
    Limit,

    /// <summary>Its settled usage.</summary>
    Used,

    /// <summary>What open holds hold on it.</summary>
    Reserved,

    /// <summary>When the first hold that may free it expires ('' none).</summary>
    EarliestExpiry,
}

/// <summary>The arguments of topup.lua.</summary>
internal enum TopUpArg
{
    /// <summary>The hold's id.</summary>
    Id = CommonArg.First,

    /// <summary>The extra units.</summary>
    Units,

    /// <summary>Milliseconds from now the hold should last at least.</summary>
    Ttl,

    /// <summary>The default customer limit and period for meter 0 ('' none), then for meters 1 and 2.</summary>
    DefaultLimits,
}

/// <summary>The arguments of extend.lua.</summary>
internal enum ExtendArg
{
    /// <summary>The hold's id.</summary>
    Id = CommonArg.First,

    /// <summary>Milliseconds from now the hold should last at least.</summary>
    Ttl,
}

/// <summary>The arguments of release.lua.</summary>
internal enum ReleaseArg
{
    /// <summary>The hold's id.</summary>
    Id = CommonArg.First,
}

/// <summary>The reply of extend.lua and release.lua.</summary>
internal enum DoneReply
{
    /// <summary>'1' when the hold was open.</summary>
    Done = 0,
}

/// <summary>The arguments of charge.lua, after <see cref="CallArg"/>.</summary>
internal enum ChargeArg
{
    /// <summary>The reservation named ('' none).</summary>
    Reservation = CallArg.First,

    /// <summary>Alert thresholds, ascending, comma-separated.</summary>
    Thresholds,

    /// <summary>'1' when an unnamed charge settles the oldest hold of its agent, task and meter.</summary>
    SettleOldest,
}

/// <summary>The reply of charge.lua.</summary>
internal enum ChargeReply
{
    /// <summary>The units charged, or <see cref="ReplyStatus.Conflict"/>, <see cref="ReplyStatus.ConflictSettle"/> or <see cref="ReplyStatus.Mismatch"/> (then read as <see cref="MismatchReply"/>).</summary>
    Units = 0,

    /// <summary>The settled hold ('' none).</summary>
    Settled,

    /// <summary>The units the hold gave back.</summary>
    Released,

    /// <summary>'1' when a budget went past its limit.</summary>
    Overrun,

    /// <summary>What is left ('' unlimited).</summary>
    Remaining,

    /// <summary>'1' for a replayed answer.</summary>
    Replay,

    /// <summary>'1' when a total saturated.</summary>
    Saturated,

    /// <summary>How many alerts follow.</summary>
    AlertCount,

    /// <summary>Where the alerts start, each <see cref="AlertReply"/> long.</summary>
    Alerts,
}

/// <summary>The reply of charge.lua when a record names an open hold of another meter, agent or task: the hold's own.</summary>
internal enum MismatchReply
{
    /// <summary><see cref="ReplyStatus.Mismatch"/>.</summary>
    Status = 0,

    /// <summary>The hold's meter.</summary>
    Meter,

    /// <summary>The hold's agent.</summary>
    Agent,

    /// <summary>The hold's task ('' none).</summary>
    Task,
}

/// <summary>One alert of a charge reply, counted from its start.</summary>
internal enum AlertReply
{
    /// <summary>The budget's kind.</summary>
    Kind = 0,

    /// <summary>Its meter.</summary>
    Meter,

    /// <summary>Its name.</summary>
    Name,

    /// <summary>The period name.</summary>
    Period,

    /// <summary>The threshold crossed.</summary>
    Threshold,

    /// <summary>The usage.</summary>
    Used,

    /// <summary>The limit.</summary>
    Limit,

    /// <summary>The length of one alert.</summary>
    Length,
}

/// <summary>The arguments of usage.lua.</summary>
internal enum UsageArg
{
    /// <summary>The counter id.</summary>
    Counter = CommonArg.First,

    /// <summary>'1' for the global scope.</summary>
    Global,
}

/// <summary>The reply of usage.lua.</summary>
internal enum UsageReply
{
    /// <summary>The period's settled usage.</summary>
    Used = 0,

    /// <summary>What the scope's open holds hold.</summary>
    Reserved,
}

/// <summary>The arguments of holds.lua.</summary>
internal enum HoldsArg
{
    /// <summary>The cursor: the index entry of the last hold of the previous page ('' to start).</summary>
    After = CommonArg.First,

    /// <summary>The most holds to return.</summary>
    Limit,
}

/// <summary>The reply of holds.lua: the next cursor ('' at the end), then per hold <see cref="HoldReply"/>.</summary>
internal enum HoldsReply
{
    /// <summary>The next page's cursor.</summary>
    Next = 0,

    /// <summary>Where the holds start.</summary>
    Holds,
}

/// <summary>One hold of a holds.lua reply, counted from its start.</summary>
internal enum HoldReply
{
    /// <summary>The id.</summary>
    Id = 0,

    /// <summary>The agent.</summary>
    Agent,

    /// <summary>The task.</summary>
    Task,

    /// <summary>The meter.</summary>
    Meter,

    /// <summary>The units.</summary>
    Units,

    /// <summary>The expiry.</summary>
    ExpiresAt,

    /// <summary>The length of one hold.</summary>
    Length,
}

/// <summary>The arguments of admin.lua.</summary>
internal enum AdminArg
{
    /// <summary>'set', 'remove' or 'reset'.</summary>
    Operation = CommonArg.First,

    /// <summary>'1' for the global scope's hash.</summary>
    Global,

    /// <summary>The budget field, or for 'reset' the counter id.</summary>
    Field,

    /// <summary>For 'set': limit and period.</summary>
    Value,
}

/// <summary>The reply of admin.lua.</summary>
internal enum AdminReply
{
    /// <summary>'1' when something changed (a budget was removed).</summary>
    Changed = 0,
}
