namespace AgentBill.Extensions.AI;

/// <summary>The telemetry names of <see cref="ModelUsageIssue"/> values: bounded, lower case, allocated once.</summary>
internal static class ModelUsageIssues
{
    public static string Name(ModelUsageIssue issue) => issue switch
    {
        ModelUsageIssue.None => "none",
        ModelUsageIssue.Missing => "missing",
        ModelUsageIssue.Zero => "zero",
        ModelUsageIssue.Inconsistent => "inconsistent",
        ModelUsageIssue.Interrupted => "interrupted",
        ModelUsageIssue.Absurd => "absurd",
        _ => "other",
    };
}
