using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>What a gated stream's items have said so far (<see cref="IModelCallStreamItems{T}.Read"/>).</summary>
public struct ModelCallStreamReading
{
    private List<UsageDetails>? _reports;

    /// <summary>Gets or sets the model the provider says answered, or <see langword="null"/>.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets whether an item said the answer finished (a finish reason): a stream that just stops without one, or usage, was cut off.</summary>
    public bool Finished { get; set; }

    /// <summary>Gets whether any item reported usage.</summary>
    public readonly bool HasUsage => _reports is not null;

    /// <summary>Adds a usage report; the reports are folded when the stream ends (<see cref="ModelUsage.Fold"/>): running totals count once, separate input and output reports add up.</summary>
    /// <param name="usage">The report.</param>
    public void AddUsage(UsageDetails usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        (_reports ??= []).Add(usage);
    }

    /// <summary>The reports folded into one usage, or <see langword="null"/> when none arrived.</summary>
    internal readonly UsageDetails? Usage() => _reports is null ? null : ModelUsage.Fold(_reports);
}
