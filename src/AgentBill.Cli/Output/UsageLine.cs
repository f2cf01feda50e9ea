using AgentBill.Ledger;

namespace AgentBill.Cli.Output;

/// <summary>One usage row as the tool prints it.</summary>
internal sealed record UsageLine(ScopeView Scope, UsageMeter Meter, string PeriodKey, long Used, long Reserved)
{
    public static UsageLine Of(UsageReportRow row) => new(ScopeView.Of(row.Key.Scope), row.Key.Meter, row.PeriodKey, row.Used, row.Reserved);
}
