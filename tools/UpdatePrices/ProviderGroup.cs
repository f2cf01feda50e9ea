namespace AgentBill.Tools.UpdatePrices;

/// <summary>One provider section of the built-in table: its heading and the LiteLLM providers it is read from.</summary>
/// <param name="Heading">The comment above the section, naming the provider's own price page.</param>
/// <param name="LiteLlmProviders">The <c>litellm_provider</c> values whose entries make up the section.</param>
internal sealed record ProviderGroup(string Heading, IReadOnlyList<string> LiteLlmProviders)
{
    /// <summary>The providers the built-in table covers, in the order it lists them.</summary>
    public static IReadOnlyList<ProviderGroup> BuiltIn { get; } =
    [
        new("OpenAI (platform.openai.com/docs/pricing)", ["openai", "text-completion-openai"]),
        new("Anthropic (claude.com/pricing)", ["anthropic"]),
        new("Google (ai.google.dev/gemini-api/docs/pricing)", ["gemini"]),
    ];
}
