using System.Text;
using AgentBill.Pricing;

namespace AgentBill.Extensions.AI.Tests.Pricing;

public sealed class LiteLlmPriceFileTests
{
    private static readonly LiteLlmPriceFileOptions Options = new() { Version = "litellm-abc123", EffectiveDate = new DateOnly(2026, 7, 24) };

    private static ModelPriceTable Load(string json, LiteLlmPriceFileOptions? options = null)
        => ModelPriceTable.LoadLiteLlm(new MemoryStream(Encoding.UTF8.GetBytes(json)), options ?? Options);

    private static string Entry(string id, string fields) => $$"""{ "{{id}}": { "litellm_provider": "openai", "mode": "chat", {{fields}} } }""";

    [Fact]
    public void Per_token_prices_convert_exactly_to_micro_usd_per_million_tokens()
    {
        var table = Load(Entry("gpt-4o", """
            "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
            "cache_read_input_token_cost": 1.25e-06, "cache_creation_input_token_cost": 0.000003125
            """));

        var price = table.Prices["gpt-4o"];
        Assert.Equal((2_500_000, 1_250_000, 10_000_000, 3_125_000), (price.InputPerMillion, price.CachedInputPerMillion, price.OutputPerMillion, price.CacheWriteInputPerMillion));
    }

    [Fact]
    public void A_price_finer_than_a_micro_dollar_per_million_tokens_is_rounded_up()
    {
        // 1.0000005 micro-USD per 1M tokens is charged 2, and a positive price too small for decimal still costs 1.
        var table = Load(Entry("tiny", "\"input_cost_per_token\": 1.0000005e-12, \"output_cost_per_token\": 1e-40"));

        Assert.Equal((2, 1), (table.Prices["tiny"].InputPerMillion, table.Prices["tiny"].OutputPerMillion));
    }

    [Fact]
    public void Missing_cache_rates_are_the_input_rate()
    {
        var price = Load(Entry("gpt-4", "\"input_cost_per_token\": 3e-05, \"output_cost_per_token\": 6e-05")).Prices["gpt-4"];

        Assert.Equal((30_000_000, 30_000_000), (price.CachedInputPerMillion, price.CacheWriteInputPerMillion));
    }

    [Fact]
    public void The_table_keeps_the_version_and_date_it_was_given()
    {
        var table = Load(Entry("gpt-4", "\"input_cost_per_token\": 3e-05, \"output_cost_per_token\": 6e-05"));

        Assert.Equal(("litellm-abc123", new DateOnly(2026, 7, 24)), (table.Version, table.EffectiveDate));
    }

    [Fact]
    public void Above_threshold_prices_become_the_long_context_tier()
    {
        var price = Load(Entry("gemini-2.5-pro", """
            "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-07,
            "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
            "input_cost_per_token_above_200k_tokens_priority": 9e-06
            """)).Prices["gemini-2.5-pro"];

        var tier = price.LongContext!;
        Assert.Equal(200_000, tier.AbovePromptTokens);

        // The tier lacks a cached rate: the base one applies; the priority rate is ignored.
        Assert.Equal((2_500_000, 125_000, 15_000_000), (tier.Price.InputPerMillion, tier.Price.CachedInputPerMillion, tier.Price.OutputPerMillion));
        Assert.Equal(2_500_000, tier.Price.CacheWriteInputPerMillion);
    }

    [Fact]
    public void Sample_spec_metadata_and_entries_without_token_prices_are_skipped_and_stay_unknown()
    {
        var table = Load("""
            {
              "sample_spec": { "input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of ..." },
              "last_updated": "2026-07-24",
              "dall-e-3": { "litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04 },
              "whisper-1": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_second": 0.0001 },
              "gpt-4": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3e-05, "output_cost_per_token": 6e-05 }
            }
            """);

        Assert.Equal(["gpt-4"], table.Prices.Keys);
        Assert.False(table.TryGetPrice("dall-e-3", out _, out _));
        Assert.False(table.TryGetPrice("whisper-1", out _, out _));
    }

    [Fact]
    public void An_embedding_model_without_an_output_price_has_a_zero_output_price()
    {
        var table = Load("""{ "text-embedding-3-small": { "litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08 } }""");

        Assert.Equal((20_000, 0), (table.Prices["text-embedding-3-small"].InputPerMillion, table.Prices["text-embedding-3-small"].OutputPerMillion));
    }

    [Fact]
    public void Only_the_providers_and_modes_asked_for_are_loaded()
    {
        const string Json = """
            {
              "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05 },
              "azure/gpt-4o-mini": { "litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 1.65e-07, "output_cost_per_token": 6.6e-07 },
              "gpt-4o-realtime-preview": { "litellm_provider": "openai", "mode": "realtime", "input_cost_per_token": 5e-06, "output_cost_per_token": 2e-05 }
            }
            """;

        var table = Load(Json, new LiteLlmPriceFileOptions { Version = "v", EffectiveDate = new DateOnly(2026, 7, 24), Providers = ["OpenAI"] });

        Assert.Equal(["gpt-4o"], table.Prices.Keys);
    }

    [Fact]
    public void A_routed_id_is_listed_without_its_prefix_and_a_model_listed_twice_is_priced_at_the_higher_listing()
    {
        var table = Load("""
            {
              "gpt-4o": { "litellm_provider": "openai", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06 },
              "azure/gpt-4o": { "litellm_provider": "azure", "input_cost_per_token": 2.75e-06, "output_cost_per_token": 1e-05 },
              "gemini/gemini-2.5-flash": { "litellm_provider": "gemini", "input_cost_per_token": 3e-07, "output_cost_per_token": 2.5e-06 }
            }
            """);

        var gpt4o = table.Prices["gpt-4o"];
        Assert.Equal((2_750_000, 2_750_000, 10_000_000), (gpt4o.InputPerMillion, gpt4o.CachedInputPerMillion, gpt4o.OutputPerMillion));
        Assert.True(table.TryGetPrice("gemini-2.5-flash", out _, out var listed));
        Assert.Equal("gemini-2.5-flash", listed);
    }

    [Theory]
    [InlineData("\"input_cost_per_token\": \"2.5e-06\", \"output_cost_per_token\": 1e-05", "input_cost_per_token", "must be a number")]
    [InlineData("\"input_cost_per_token\": -1e-06, \"output_cost_per_token\": 1e-05", "input_cost_per_token", "at least 0")]
    [InlineData("\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 1e+10", "output_cost_per_token", "at most")]
    [InlineData("\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 1e-05, \"cache_read_input_token_cost\": true", "cache_read_input_token_cost", "must be a number")]
    [InlineData("\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 1e-05, \"output_cost_per_token_above_200k_tokens\": -1", "output_cost_per_token_above_200k_tokens", "at least 0")]
    public void A_bad_price_is_refused_naming_the_entry_and_field(string fields, string field, string message)
    {
        var ex = Assert.Throws<PriceFileFormatException>(() => Load(Entry("gpt-4o", fields)));

        Assert.Equal(("gpt-4o", field), (ex.Entry, ex.Field));
        Assert.Contains("'gpt-4o'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_entry_anywhere_loads_nothing()
    {
        const string Json = """
            {
              "gpt-4o": { "litellm_provider": "openai", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05 },
              "gpt-4o-mini": { "litellm_provider": "openai", "input_cost_per_token": "cheap", "output_cost_per_token": 6e-07 }
            }
            """;
        var pricing = new ModelPricing();

        Assert.Throws<PriceFileFormatException>(() => pricing.Table = Load(Json));

        Assert.Same(ModelPriceTable.BuiltIn, pricing.Table);
    }

    [Fact]
    public void A_mode_that_is_not_a_string_is_refused()
    {
        var ex = Assert.Throws<PriceFileFormatException>(() => Load("""{ "gpt-4o": { "mode": 3, "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06 } }"""));

        Assert.Equal(("gpt-4o", "mode"), (ex.Entry, ex.Field));
    }

    [Theory]
    [InlineData("{ \"gpt-4o\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{ \"dall-e-3\": { \"litellm_provider\": \"openai\", \"output_cost_per_image\": 0.04 } }", "no per-token price")]
    public void A_file_that_is_not_a_price_file_is_refused(string json, string message)
    {
        var ex = Assert.Throws<PriceFileFormatException>(() => Load(json));

        Assert.Null(ex.Entry);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_version_are_refused_naming_the_argument()
    {
        var ex = Assert.Throws<ArgumentException>(() => Load("{}", new LiteLlmPriceFileOptions { Version = " ", EffectiveDate = new DateOnly(2026, 7, 24) }));

        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void A_missing_stream_or_path_is_refused_naming_the_argument()
    {
        Assert.Equal("utf8Json", Assert.Throws<ArgumentNullException>(() => ModelPriceTable.LoadLiteLlm((Stream)null!, Options)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ModelPriceTable.LoadLiteLlm(" ", Options)).ParamName);
    }

    [Fact]
    public void A_file_is_loaded_from_its_path()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Pricing", "Fixtures", "litellm-sample.json");

        var table = ModelPriceTable.LoadLiteLlm(path, Options);

        Assert.True(table.TryGetPrice("gpt-4o-2024-05-13", out var price, out _));
        Assert.Equal(5_000_000, price.InputPerMillion);
    }

    [Fact]
    public void A_loaded_table_leaves_unknown_models_unknown()
    {
        var pricing = new ModelPricing { Table = Load(Entry("gpt-4o", "\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 1e-05")) };

        Assert.Null(pricing.Find("gpt-4o-mini"));
        Assert.Equal(ModelPriceSource.Table, pricing.Find("gpt-4o-2024-08-06")?.Source);
    }
}
