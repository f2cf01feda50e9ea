using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>
/// An approved model call from <see cref="ModelCallGate.OpenAsync(ModelCallParties, string?, TokenUsage, CancellationToken)"/>: its hold and what settling it needs. A ticket
/// issued while an outer gate of the same meter already holds for this very call is <see cref="IsCovered"/>: it holds
/// nothing, and settling or releasing it does nothing, so one round-trip is never held or charged twice.
/// </summary>
public sealed class ModelCallTicket
{
    internal ModelCallTicket(Reservation? reservation, ModelCallParties parties, string? modelId, TokenUsage estimate, ModelPriceMatch? price, TimeSpan? lifetime, AgentBillContext? context, UsageMeter meter)
    {
        Meter = meter;
        Reservation = reservation;
        Parties = parties;
        ModelId = modelId;
        Estimate = estimate;
        Price = price;
        Lifetime = lifetime;
        Context = context;
    }

    /// <summary>Gets the hold, or <see langword="null"/> when an outer gate covers the call.</summary>
    public Reservation? Reservation { get; }

    /// <summary>Gets whether an outer gate of the same meter holds for this call, so this ticket holds nothing.</summary>
    public bool IsCovered => Reservation is null;

    /// <summary>Gets who the call is charged to.</summary>
    public ModelCallParties Parties { get; }

    /// <summary>Gets the model the call asked for, or <see langword="null"/>.</summary>
    public string? ModelId { get; }

    /// <summary>Gets the tokens held: the prompt's estimate and the output the call may produce.</summary>
    public TokenUsage Estimate { get; }

    /// <summary>Gets the price the estimate was priced at; <see langword="null"/> when the gate counts tokens.</summary>
    public ModelPriceMatch? Price { get; }

    /// <summary>Gets how long the hold was granted for, or <see langword="null"/> when it has no expiry (a degraded approval).</summary>
    public TimeSpan? Lifetime { get; }

    /// <summary>Gets the context the call was made in.</summary>
    public AgentBillContext? Context { get; }

    /// <summary>Gets what the gate that issued the ticket counts.</summary>
    public UsageMeter Meter { get; }

    /// <summary>Gets where the call's decision and cost are traced.</summary>
    internal ModelCallSpan Span { get; init; }
}
