namespace AgentBill.Pricing;

/// <summary>
/// How <see cref="ModelPriceTable.LoadLiteLlm(Stream, LiteLlmPriceFileOptions)"/> reads LiteLLM's community price
/// file (<c>model_prices_and_context_window.json</c>): the table's version and date, which the file itself does
/// not carry, and which of its entries to keep.
/// </summary>
public sealed class LiteLlmPriceFileOptions
{
    /// <summary>Gets the version the table reports with every price, for example the file's commit or its date.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the day the file's prices are as of, for example the date of the commit it was taken from.</summary>
    public required DateOnly EffectiveDate { get; init; }

    /// <summary>
    /// Gets the <c>litellm_provider</c> values to keep (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, ...), matched
    /// ignoring case; empty (the default) keeps every provider. The same model listed by several providers (OpenAI
    /// direct, Azure, a gateway) is priced at the highest of their prices, so name the providers you call.
    /// </summary>
    public IReadOnlyCollection<string> Providers { get; init; } = [];

    /// <summary>
    /// Gets the <c>mode</c> values to keep, matched ignoring case. Defaults to the modes the gates price by tokens:
    /// <c>chat</c>, <c>completion</c>, <c>responses</c> and <c>embedding</c>. An entry without a mode is a chat model.
    /// </summary>
    public IReadOnlyCollection<string> Modes { get; init; } = ["chat", "completion", "responses", "embedding"];
}
