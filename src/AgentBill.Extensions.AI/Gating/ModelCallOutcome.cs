using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// What a provider call came to, for <see cref="ModelCallGate.SettleAsync(ModelCallTicket, ModelCallOutcome)"/>: the
/// usage it reported, the model that answered, what it produced and whether it finished. The gate counts
/// <see cref="Output"/> only when the usage cannot be taken at its word.
/// </summary>
public readonly record struct ModelCallOutcome
{
    /// <summary>Gets the usage the provider reported (a stream's folded with <see cref="ModelUsage.Fold"/>), or <see langword="null"/>.</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>Gets the model the provider says answered, or <see langword="null"/>.</summary>
    public string? ReportedModelId { get; init; }

    /// <summary>
    /// Gets the output received (a response's messages, or a stream's updates folded with <c>ToChatResponse()</c>), or
    /// <see langword="null"/> when it is unknown: a call cancelled before any answer arrived, or one that produces none.
    /// </summary>
    public IEnumerable<ChatMessage>? Output { get; init; }

    /// <summary>
    /// Gets whether the call did not finish: a stream abandoned, cancelled or cut off (charged the prompt plus the
    /// output received, never above the hold), or a call cancelled after it was sent (charged the hold: the
    /// provider may finish and bill it).
    /// </summary>
    public bool IsInterrupted { get; init; }

    /// <summary>A call that finished: a response, or a stream enumerated to its end.</summary>
    /// <param name="usage">The usage reported, or <see langword="null"/>.</param>
    /// <param name="reportedModelId">The model that answered, or <see langword="null"/>.</param>
    /// <param name="output">The output received, or <see langword="null"/> when unknown.</param>
    /// <returns>The outcome.</returns>
    public static ModelCallOutcome Completed(UsageDetails? usage, string? reportedModelId, IEnumerable<ChatMessage>? output = null)
        => new() { Usage = usage, ReportedModelId = reportedModelId, Output = output };

    /// <summary>A call that did not finish.</summary>
    /// <param name="usage">The usage reported before it stopped, or <see langword="null"/>.</param>
    /// <param name="reportedModelId">The model that answered, or <see langword="null"/>.</param>
    /// <param name="output">The output received before it stopped (empty when none), or <see langword="null"/> when unknown.</param>
    /// <returns>The outcome.</returns>
    public static ModelCallOutcome Interrupted(UsageDetails? usage, string? reportedModelId, IEnumerable<ChatMessage>? output)
        => new() { Usage = usage, ReportedModelId = reportedModelId, Output = output, IsInterrupted = true };
}
