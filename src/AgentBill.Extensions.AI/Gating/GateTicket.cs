using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>An approved model call: its hold, and what the settle needs to price the real usage.</summary>
internal sealed class GateTicket(Reservation reservation, CallParties parties, string? modelId, TokenUsage estimate, ModelPriceMatch? price, TimeSpan? lifetime)
{
    public Reservation Reservation { get; } = reservation;

    public CallParties Parties { get; } = parties;

    public string? ModelId { get; } = modelId;

    public TokenUsage Estimate { get; } = estimate;

    /// <summary>Gets the price the estimate was priced at; <see langword="null"/> when the gate counts tokens.</summary>
    public ModelPriceMatch? Price { get; } = price;

    /// <summary>Gets how long the hold was granted for, or <see langword="null"/> when it has no expiry (a degraded approval).</summary>
    public TimeSpan? Lifetime { get; } = lifetime;
}
