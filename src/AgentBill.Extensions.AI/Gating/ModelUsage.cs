using AgentBill.Pricing;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The one place provider usage becomes billable tokens, for every integration (chat, embeddings, agent frameworks).
/// Follows the Microsoft.Extensions.AI convention: input includes cached and cache-written tokens, output includes
/// reasoning tokens. Usage that is missing, zero where tokens were sent or produced, or inconsistent with its total
/// is never taken at its word: it is read as the documented upper bound and marked estimated, so a call is never
/// charged less than it cost without saying so (docs/model-call-usage.md).
/// </summary>
public static class ModelUsage
{
    /// <summary>
    /// The <see cref="UsageDetails.AdditionalCounts"/> key of the prompt tokens written to the provider's cache, as the
    /// Anthropic adapters for Microsoft.Extensions.AI report them (Anthropic's <c>cache_creation_input_tokens</c>).
    /// </summary>
    public const string CacheCreationInputTokensKey = "CacheCreationInputTokens";

    /// <summary>
    /// The <see cref="UsageDetails.AdditionalCounts"/> key of the prompt tokens read from the provider's cache, as the
    /// Anthropic adapters that follow Anthropic's own counting report them (Anthropic's <c>cache_read_input_tokens</c>).
    /// Its presence without <see cref="UsageDetails.CachedInputTokenCount"/> means the input count leaves out the
    /// cached and cache-written tokens, as Anthropic's <c>input_tokens</c> does.
    /// </summary>
    public const string CacheReadInputTokensKey = "CacheReadInputTokens";

    /// <summary>Reads a provider's usage for a call that finished, without knowing what it produced.</summary>
    /// <param name="usage">The reported usage, or <see langword="null"/>.</param>
    /// <param name="estimate">The call's estimate, charged for what is missing.</param>
    /// <param name="isEstimated">Whether any part of the result is not the provider's own count.</param>
    /// <returns>The tokens to charge.</returns>
    public static TokenUsage Read(UsageDetails? usage, TokenUsage estimate, out bool isEstimated)
    {
        var reading = Read(usage, estimate, producedOutputTokens: null, interrupted: false);
        isEstimated = reading.IsEstimated;
        return reading.Tokens;
    }

    /// <summary>
    /// Reads a provider's usage against what the gate knows of the call: its estimate, what it produced, and whether
    /// it finished. The rules, in order:
    /// <list type="number">
    /// <item>A negative count is no count, nor is one above 10^15, the most a record holds (the reading is then absurd): like a missing one, it is read as the most the call's options allow.</item>
    /// <item>Cache-written tokens (<see cref="CacheCreationInputTokensKey"/>) are part of the input; an input too small to hold them, or one counted Anthropic's way (<see cref="CacheReadInputTokensKey"/>), gets them added.</item>
    /// <item>Zero input is no count when a prompt was sent; zero output is no count when output was produced.</item>
    /// <item>The parts are reconciled with the total: a total above input + output adds the difference to the output (the dearer side of every chat model; to the input for a call that produces none, an embedding); a part left out is the total less the other; a total alone is all output (all input when none is expected).</item>
    /// <item>What is still unknown is the estimate: the prompt's estimate for the input; for the output, the output held or more if more was produced (a finished call), or what was produced (an interrupted call; the output held when that is unknown).</item>
    /// </list>
    /// </summary>
    /// <param name="usage">The reported usage, or <see langword="null"/>.</param>
    /// <param name="estimate">The call's estimate: the prompt's tokens and the output held.</param>
    /// <param name="producedOutputTokens">The tokens counted on the output received, or <see langword="null"/> when unknown.</param>
    /// <param name="interrupted">Whether the call did not finish (a stream cut off or abandoned, a call cancelled after it was sent).</param>
    /// <returns>The tokens to charge, the part of them the provider reported, and why they differ from the report.</returns>
    public static ModelUsageReading Read(UsageDetails? usage, TokenUsage estimate, long? producedOutputTokens, bool interrupted)
    {
        var issue = usage is null ? ModelUsageIssue.Missing : ModelUsageIssue.None;
        var input = Count(usage?.InputTokenCount, ref issue);
        var output = Count(usage?.OutputTokenCount, ref issue);
        var total = Count(usage?.TotalTokenCount, ref issue);
        var cached = Count(usage?.CachedInputTokenCount ?? Additional(usage, CacheReadInputTokensKey), ref issue) ?? 0;
        var written = Count(Additional(usage, CacheCreationInputTokensKey), ref issue) ?? 0;
        var produced = Count(producedOutputTokens, ref issue) ?? 0;
        var expectsOutput = estimate.OutputTokens > 0 || produced > 0;

        if (input is { } sent && (CountsAnthropicsWay(usage) || written > sent - Math.Min(cached, sent)))
        {
            // The input left out what the cache served and stored: Anthropic's input_tokens, or an adapter passing it on.
            input = Add(Add(sent, CountsAnthropicsWay(usage) ? cached : 0, ref issue), written, ref issue);
        }

        if (input == 0 && estimate.InputTokens > 0)
        {
            input = null;
            issue = Worst(issue, ModelUsageIssue.Zero);
        }

        if (output == 0 && produced > 0)
        {
            output = null;
            issue = Worst(issue, ModelUsageIssue.Zero);
        }

        if (output is null && usage is not null && !expectsOutput)
        {
            // Nothing was asked for or received (an embedding): a usage without output is complete.
            output = 0;
        }

        // A zero total is how a client reports a total the server left out; it checks nothing.
        Reconcile(ref input, ref output, total is 0 ? null : total, expectsOutput, produced, ref issue);

        var reportedInput = input ?? 0;
        var reportedOutput = output ?? 0;
        long cachedInput = 0;
        long writtenInput = 0;
        if (input is null)
        {
            input = estimate.InputTokens;
            cachedInput = estimate.CachedInputTokens;
            writtenInput = estimate.CacheWriteInputTokens;
            issue = Worst(issue, ModelUsageIssue.Missing);
        }
        else
        {
            cachedInput = Math.Min(cached, input.Value);
            writtenInput = Math.Min(written, input.Value - cachedInput);
        }

        if (output is null)
        {
            output = interrupted ? producedOutputTokens is null ? estimate.OutputTokens : produced : Math.Max(estimate.OutputTokens, produced);
            issue = Worst(issue, ModelUsageIssue.Missing);
        }
        else if (interrupted && produced > output)
        {
            // A stream's last report can lag behind the text that arrived after it.
            output = produced;
        }

        if (interrupted)
        {
            issue = Worst(issue, ModelUsageIssue.Interrupted);
        }

        var tokens = new TokenUsage(input.Value, cachedInput, output.Value, writtenInput);
        var reported = reportedInput == 0
            ? new TokenUsage(0, 0, reportedOutput)
            : new TokenUsage(reportedInput, cachedInput, reportedOutput, writtenInput);
        return new ModelUsageReading(tokens, reported, issue);
    }

    /// <summary>
    /// Folds the usage reports of one stream into its usage. Microsoft.Extensions.AI sums a stream's reports (each
    /// is a delta); some servers instead repeat the running totals on every chunk (vLLM's
    /// <c>continuous_usage_stats</c>, a gateway repeating the final usage), which a sum counts many times over. The
    /// reports are read as running totals, and the last one is the usage, when there are two or more, each carries
    /// the same non-zero input count (deltas would mean the prompt was sent again), and the output and total counts
    /// never go down; otherwise they are summed.
    /// </summary>
    /// <param name="reports">The stream's usage reports, in the order they arrived.</param>
    /// <returns>The stream's usage, or <see langword="null"/> when there were no reports.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reports"/> is <see langword="null"/>.</exception>
    public static UsageDetails? Fold(IReadOnlyList<UsageDetails> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count <= 1)
        {
            return reports.Count == 0 ? null : reports[0];
        }

        if (AreRunningTotals(reports))
        {
            return reports[^1];
        }

        var sum = new UsageDetails();
        foreach (var report in reports)
        {
            sum.Add(report);
        }

        return sum;
    }

    /// <summary>Whether reading a usage can need a count of the output received: it reports no output, or the call was interrupted.</summary>
    internal static bool NeedsProducedCount(UsageDetails? usage, bool interrupted)
        => interrupted || usage?.OutputTokenCount is not > 0;

    private static bool AreRunningTotals(IReadOnlyList<UsageDetails> reports)
    {
        var first = reports[0];
        if (first.InputTokenCount is not > 0)
        {
            return false;
        }

        for (var i = 1; i < reports.Count; i++)
        {
            var previous = reports[i - 1];
            var report = reports[i];
            if (report.InputTokenCount != first.InputTokenCount
                || (report.OutputTokenCount ?? 0) < (previous.OutputTokenCount ?? 0)
                || (report.TotalTokenCount ?? 0) < (previous.TotalTokenCount ?? 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fills a part from the total, or adds what the total counts beyond the parts to the dearer side.</summary>
    private static void Reconcile(ref long? input, ref long? output, long? total, bool expectsOutput, long produced, ref ModelUsageIssue issue)
    {
        if (total is not { } all)
        {
            return;
        }

        switch (input, output)
        {
            case ({ } sent, { } generated):
                var parts = sent + generated;
                if (parts < all)
                {
                    if (expectsOutput)
                    {
                        output = all - sent;
                    }
                    else
                    {
                        input = all - generated;
                    }
                }

                if (parts != all)
                {
                    issue = Worst(issue, ModelUsageIssue.Inconsistent);
                }

                break;
            case ({ } sent, null):
                var rest = all - sent;
                if (rest > 0 || (rest == 0 && produced == 0))
                {
                    output = rest;
                }

                issue = Worst(issue, ModelUsageIssue.Inconsistent);
                break;
            case (null, { } generated):
                if (all > generated)
                {
                    input = all - generated;
                }

                issue = Worst(issue, ModelUsageIssue.Inconsistent);
                break;
            default:
                // A total alone: all of it at the dearer side's price.
                (input, output) = expectsOutput ? (0L, all) : (all, 0L);
                issue = Worst(issue, ModelUsageIssue.Inconsistent);
                break;
        }
    }

    private static bool CountsAnthropicsWay(UsageDetails? usage)
        => usage is { CachedInputTokenCount: null, AdditionalCounts: { } counts } && counts.ContainsKey(CacheReadInputTokensKey);

    private static long? Additional(UsageDetails? usage, string key)
        => usage?.AdditionalCounts is { } counts && counts.TryGetValue(key, out var count) ? count : null;

    /// <summary>A count the ledger can hold, or none: a negative count is no count, nor is one above 10^15 (the reading is then absurd).</summary>
    private static long? Count(long? count, ref ModelUsageIssue issue)
    {
        switch (count)
        {
            case null:
                return null;
            case < 0:
                issue = Worst(issue, ModelUsageIssue.Inconsistent);
                return null;
            case > AgentBillLimits.MaxUnits:
                issue = Worst(issue, ModelUsageIssue.Absurd);
                return null;
            default:
                return count;
        }
    }

    private static long Add(long a, long b, ref ModelUsageIssue issue)
    {
        var sum = a + b;
        if (sum <= AgentBillLimits.MaxUnits)
        {
            return sum;
        }

        issue = Worst(issue, ModelUsageIssue.Absurd);
        return AgentBillLimits.MaxUnits;
    }

    private static ModelUsageIssue Worst(ModelUsageIssue a, ModelUsageIssue b) => a > b ? a : b;
}
