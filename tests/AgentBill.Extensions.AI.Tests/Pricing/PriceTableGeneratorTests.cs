using AgentBill.Pricing;
using AgentBill.Tools.UpdatePrices;

namespace AgentBill.Extensions.AI.Tests.Pricing;

public sealed class PriceTableGeneratorTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Pricing", "Fixtures", name);

    [Fact]
    public void The_generator_writes_the_committed_table_for_the_fixture_price_file()
    {
        // The fixture holds the cases the selection decides: a snapshot priced apart (kept), one priced as its model
        // (dropped), an undated Anthropic name derived from its only snapshot, audio, fine-tuned, image, other-provider
        // and zero-price entries (left out), a long-context tier, routed Gemini ids, and an override.
        var code = PriceTableGenerator.Generate(
            File.ReadAllBytes(Fixture("litellm-sample.json")), File.ReadAllBytes(Fixture("overrides-sample.json")), new DateOnly(2026, 7, 24));

        Assert.Equal(File.ReadAllText(Fixture("BuiltInModelPrices.sample.txt")).ReplaceLineEndings(), code.ReplaceLineEndings());
    }

    [Fact]
    public void The_committed_overrides_are_a_valid_price_file()
    {
        // tools/UpdatePrices/price-overrides.json, copied beside the fixtures.
        var table = ModelPriceTable.LoadLiteLlm(
            Fixture("price-overrides.json"), new LiteLlmPriceFileOptions { Version = "overrides", EffectiveDate = new DateOnly(2026, 7, 24) });

        Assert.True(table.TryGetPrice("gpt-3.5-turbo-0613", out var price, out _));
        Assert.Equal((1_500_000, 2_000_000), (price.InputPerMillion, price.OutputPerMillion));
    }
}
