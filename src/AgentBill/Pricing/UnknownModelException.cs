namespace AgentBill.Pricing;

/// <summary>
/// Thrown before a model call whose model has no price and no fallback price, when the gate counts money:
/// the call is refused rather than priced at $0. Nothing was held or charged.
/// </summary>
public sealed class UnknownModelException : AgentBillRefusedException
{
    /// <summary>Creates the exception from the refusal.</summary>
    /// <param name="result">
    /// The refusal, with <see cref="RefusalReason.UnknownModel"/>; decided before any store call, so its
    /// <see cref="PreflightResult.CustomerId"/> is the customer the call named (empty when it named none).
    /// </param>
    /// <param name="modelId">The model that has no price, or <see langword="null"/> when the call named none.</param>
    public UnknownModelException(PreflightResult result, string? modelId)
        : base(
            modelId is null
                ? $"Agent '{result?.AgentId}' called a model without naming it, so it cannot be priced; name the model or set a fallback price."
                : $"Model '{modelId}' has no price; add it to the custom prices or set a fallback price.",
            result!)
        => ModelId = modelId;

    /// <summary>Gets the model that has no price.</summary>
    public string? ModelId { get; }
}
