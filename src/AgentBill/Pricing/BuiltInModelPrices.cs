namespace AgentBill.Pricing;

/// <summary>
/// The built-in price list: the providers' published standard (pay-as-you-go, non-batch) prices per 1M tokens,
/// written in micro-USD. Models with no cache discount repeat the input price as the cached price, so a
/// cached token is never cheaper than the provider bills it. A new table version is added when a price changes.
/// </summary>
internal static class BuiltInModelPrices
{
    /// <summary>The version reported with every built-in price.</summary>
    public const string Version = "2025.11.1";

    public static ModelPriceTable Table { get; } = new(Version, new DateOnly(2025, 11, 24), Prices());

    private static IEnumerable<KeyValuePair<string, ModelPrice>> Prices()
    {
        // OpenAI (platform.openai.com/docs/pricing): input, cached input, output.
        yield return Price("gpt-5", 1_250_000, 125_000, 10_000_000);
        yield return Price("gpt-5-mini", 250_000, 25_000, 2_000_000);
        yield return Price("gpt-5-nano", 50_000, 5_000, 400_000);
        yield return Price("gpt-4.1", 2_000_000, 500_000, 8_000_000);
        yield return Price("gpt-4.1-mini", 400_000, 100_000, 1_600_000);
        yield return Price("gpt-4.1-nano", 100_000, 25_000, 400_000);
        yield return Price("gpt-4o", 2_500_000, 1_250_000, 10_000_000);
        yield return Price("gpt-4o-mini", 150_000, 75_000, 600_000);
        yield return Price("o1", 15_000_000, 7_500_000, 60_000_000);
        yield return Price("o1-mini", 1_100_000, 550_000, 4_400_000);
        yield return Price("o3", 2_000_000, 500_000, 8_000_000);
        yield return Price("o3-mini", 1_100_000, 550_000, 4_400_000);
        yield return Price("o4-mini", 1_100_000, 275_000, 4_400_000);
        yield return Price("gpt-4-turbo", 10_000_000, 10_000_000, 30_000_000);
        yield return Price("gpt-4", 30_000_000, 30_000_000, 60_000_000);
        yield return Price("gpt-3.5-turbo", 500_000, 500_000, 1_500_000);
        yield return Price("text-embedding-3-small", 20_000, 20_000, 0);
        yield return Price("text-embedding-3-large", 130_000, 130_000, 0);
        yield return Price("text-embedding-ada-002", 100_000, 100_000, 0);

        // Anthropic (claude.com/pricing): input, cache read, output. Prompts above 200k tokens on Sonnet 4 and 4.5
        // (1M-context beta) are billed at the long-context rate for the whole call.
        yield return Price("claude-opus-4-5", 5_000_000, 500_000, 25_000_000);
        yield return Price("claude-opus-4-1", 15_000_000, 1_500_000, 75_000_000);
        yield return Price("claude-opus-4", 15_000_000, 1_500_000, 75_000_000);
        yield return Price("claude-sonnet-4-5", 3_000_000, 300_000, 15_000_000, 200_000, 6_000_000, 600_000, 22_500_000);
        yield return Price("claude-sonnet-4", 3_000_000, 300_000, 15_000_000, 200_000, 6_000_000, 600_000, 22_500_000);
        yield return Price("claude-haiku-4-5", 1_000_000, 100_000, 5_000_000);
        yield return Price("claude-3-7-sonnet", 3_000_000, 300_000, 15_000_000);
        yield return Price("claude-3-5-sonnet", 3_000_000, 300_000, 15_000_000);
        yield return Price("claude-3-5-haiku", 800_000, 80_000, 4_000_000);
        yield return Price("claude-3-opus", 15_000_000, 1_500_000, 75_000_000);
        yield return Price("claude-3-haiku", 250_000, 30_000, 1_250_000);

        // Google (ai.google.dev/gemini-api/docs/pricing): input, cached input, output; text and image input.
        yield return Price("gemini-2.5-pro", 1_250_000, 125_000, 10_000_000, 200_000, 2_500_000, 250_000, 15_000_000);
        yield return Price("gemini-2.5-flash", 300_000, 30_000, 2_500_000);
        yield return Price("gemini-2.5-flash-lite", 100_000, 10_000, 400_000);
        yield return Price("gemini-2.0-flash", 100_000, 25_000, 400_000);
        yield return Price("gemini-2.0-flash-lite", 75_000, 75_000, 300_000);
        yield return Price("gemini-1.5-pro", 1_250_000, 312_500, 5_000_000, 128_000, 2_500_000, 625_000, 10_000_000);
        yield return Price("gemini-1.5-flash", 75_000, 18_750, 300_000, 128_000, 150_000, 37_500, 600_000);
        yield return Price("gemini-embedding-001", 150_000, 150_000, 0);
    }

    private static KeyValuePair<string, ModelPrice> Price(string model, long input, long cachedInput, long output)
        => new(model, new ModelPrice(input, cachedInput, output));

    private static KeyValuePair<string, ModelPrice> Price(
        string model, long input, long cachedInput, long output, long abovePromptTokens, long longInput, long longCachedInput, long longOutput)
        => new(model, new ModelPrice(input, cachedInput, output)
        {
            LongContext = new LongContextPrice(abovePromptTokens, new ModelPrice(longInput, longCachedInput, longOutput)),
        });
}
