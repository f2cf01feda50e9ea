using System.Data.Common;
using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>A scope as the tables key it: a customer scope has the name <c>''</c>; the global scope the customer <c>''</c> too.</summary>
internal readonly record struct ScopeKey(string Customer, BudgetScopeKind Kind, string Name, UsageMeter Meter)
{
    public static ScopeKey Of(BudgetKey key) => new(key.Scope.CustomerId ?? string.Empty, key.Scope.Kind, key.Scope.Name ?? string.Empty, key.Meter);

    public static ScopeKey Global(UsageMeter meter) => new(string.Empty, BudgetScopeKind.Global, string.Empty, meter);
}

/// <summary>One row of the usage table: a scope in one period.</summary>
internal readonly record struct CounterKey(ScopeKey Scope, string Period);

/// <summary>A usage row as one operation reads and changes it.</summary>
internal sealed class Counter
{
    public long Used;
    public long Reserved;
    public int Alerted;
    public long Touched;
    public bool Dirty;
    public bool Loaded;
}

/// <summary>A budget an operation checks or charges: its key, the budget's period and current period name, and its limit.</summary>
internal readonly record struct Applicable(BudgetKey Key, ScopeKey Scope, BudgetPeriod Period, string PeriodKey, long Limit);

/// <summary>An open hold as the holds table keeps it.</summary>
internal sealed class HoldRow(string customer, string id, long seq, string agent, string? task, UsageMeter meter, long units, long expires, PeriodKeys periods, bool global)
{
    public string Customer { get; } = customer;
    public string Id { get; } = id;
    public long Seq { get; } = seq;
    public string Agent { get; } = agent;
    public string? Task { get; } = task;
    public UsageMeter Meter { get; } = meter;
    public long Units { get; set; } = units;
    public long Expires { get; set; } = expires;
    public PeriodKeys Periods { get; } = periods;
    public bool Global { get; } = global;

    public DateTimeOffset ExpiresAt => new(Expires, TimeSpan.Zero);

    public CallScopes Scopes => new(Customer, Agent, Task, Meter);

    public OpenHold ToOpenHold() => new(Id, Customer, Agent, Task, Meter, Units, ExpiresAt);

    /// <summary>Reads the columns of <c>SELECT id, seq, agent, task, meter, units, expires, day, week, month, global</c>.</summary>
    public static HoldRow Read(DbDataReader reader, string customer) => new(
        customer,
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        (UsageMeter)reader.GetInt32(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        new PeriodKeys(reader.GetString(7), reader.GetString(8), reader.GetString(9)),
        reader.GetInt64(10) != 0);
}
