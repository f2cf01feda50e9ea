namespace AgentBill.Ledger;

/// <summary>One page of a usage report.</summary>
/// <param name="Rows">The rows of the page.</param>
/// <param name="NextCursor">What to pass for the next page, or <see langword="null"/> when this page is the last.</param>
public sealed record UsageReportPage(IReadOnlyList<UsageReportRow> Rows, string? NextCursor);
