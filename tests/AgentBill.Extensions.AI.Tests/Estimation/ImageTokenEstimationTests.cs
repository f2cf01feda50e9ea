using System.Text;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Estimation;

/// <summary>Images are counted by the providers' published rules; the numbers are the providers' own worked examples where they give one.</summary>
public sealed class ImageTokenEstimationTests
{
    /// <summary>The tokens an attachment adds to a prompt on a model, beside an empty user message.</summary>
    private static long TokensOf(AIContent attachment, string model, TokenizerTokenEstimator? estimator = null)
    {
        estimator ??= TokenizerTokenEstimator.Shared;
        var without = estimator.EstimatePromptTokens([new ChatMessage(ChatRole.User, [])], null, model);
        return estimator.EstimatePromptTokens([new ChatMessage(ChatRole.User, [attachment])], null, model) - without;
    }

    private static DataContent Png(int width, int height, string? detail = null)
    {
        var image = new DataContent(ImageEncodings.Png(width, height), "image/png");
        if (detail is not null)
        {
            image.AdditionalProperties = new() { ["detail"] = detail };
        }

        return image;
    }

    [Theory]
    [InlineData("gpt-4o", 1024, 1024, 765)]                       // scaled to 768 × 768: 85 + 4 × 170
    [InlineData("gpt-4o", 2048, 4096, 1_105)]                     // 768 × 1536: 85 + 6 × 170
    [InlineData("gpt-4o", 128, 64, 255)]                          // never scaled up: one tile
    [InlineData("gpt-4o-2024-08-06", 1024, 1024, 765)]
    [InlineData("gpt-4o-mini", 1024, 1024, 25_501)]               // 2,833 + 4 × 5,667
    [InlineData("gpt-4o-mini-2024-07-18", 1024, 1024, 25_501)]
    [InlineData("gpt-5", 1024, 1024, 630)]                        // 70 + 4 × 140
    [InlineData("o3", 1024, 1024, 675)]                           // 75 + 4 × 150
    public void An_image_to_a_tile_model_costs_its_base_plus_its_tiles(string model, int width, int height, long expected)
    {
        Assert.Equal(expected, TokensOf(Png(width, height), model));
    }

    [Theory]
    [InlineData("gpt-4o", 85)]
    [InlineData("gpt-4o-mini", 2_833)]
    public void A_low_detail_image_to_a_tile_model_costs_its_base(string model, long expected)
    {
        Assert.Equal(expected, TokensOf(Png(4000, 3000, detail: "low"), model));
    }

    [Theory]
    [InlineData("gpt-4.1-mini", 1024, 1024, 1_659)]               // 32 × 32 patches × 1.62, rounded up
    [InlineData("gpt-4.1-nano", 1024, 1024, 2_520)]               // 1,024 × 2.46, rounded up
    [InlineData("o4-mini", 1800, 2400, 2_642)]                    // 4,275 patches, capped at 1,536, × 1.72
    [InlineData("gpt-5-mini", 64, 64, 7)]                         // 4 patches × 1.62
    public void An_image_to_a_patch_model_costs_its_patches_times_the_model_multiplier(string model, int width, int height, long expected)
    {
        Assert.Equal(expected, TokensOf(Png(width, height), model));
    }

    [Fact]
    public void Low_detail_does_not_lower_a_patch_model_count()
    {
        Assert.Equal(1_659, TokensOf(Png(1024, 1024, detail: "low"), "gpt-4.1-mini"));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 1000, 1000, 1_334)]          // 1,000,000 / 750, rounded up
    [InlineData("claude-sonnet-4-5", 200, 200, 54)]
    [InlineData("claude-sonnet-4-5", 4000, 3000, 1_600)]          // scaled down to the 1,568 px limit
    [InlineData("us.anthropic.claude-3-5-sonnet-20241022-v2:0", 4000, 3000, 1_600)]
    [InlineData("claude-opus-4-7", 4000, 3000, 4_784)]            // the larger limit of Claude Opus 4.7 and later
    [InlineData("claude-opus-5", 1000, 1000, 1_334)]
    public void An_image_to_Claude_costs_its_area_over_750_up_to_the_model_limit(string model, int width, int height, long expected)
    {
        Assert.Equal(expected, TokensOf(Png(width, height), model));
    }

    [Theory]
    [InlineData("gemini-2.5-flash", 300, 300, 258)]               // both sides at most 384 px: one tile
    [InlineData("gemini-2.5-flash", 1024, 1024, 1_032)]           // 682 px tiles: 2 × 2 × 258
    [InlineData("models/gemini-2.0-flash", 1920, 1080, 1_548)]    // 720 px tiles: 3 × 2 × 258
    [InlineData("gemini-3-pro-preview", 4000, 3000, 1_120)]       // Gemini 3's per-image budget
    public void An_image_to_Gemini_costs_its_tiles_or_its_budget(string model, int width, int height, long expected)
    {
        Assert.Equal(expected, TokensOf(Png(width, height), model));
    }

    [Theory]
    [InlineData("gpt-4o", 1_445)]                                 // 8 tiles, the most after scaling
    [InlineData("gpt-4o-mini", 48_169)]                           // 2,833 + 8 × 5,667
    [InlineData("gpt-4.1-nano", 3_779)]                           // 1,536 patches × 2.46
    [InlineData("claude-sonnet-4-5", 1_600)]
    [InlineData("claude-opus-4-7", 4_784)]
    [InlineData("gemini-3-flash-preview", 1_120)]
    [InlineData("gemini-2.5-pro", 6_000)]                         // tiles have no published bound: the default
    public void An_image_known_only_by_its_uri_counts_the_worst_case_for_the_model(string model, long expected)
    {
        Assert.Equal(expected, TokensOf(new UriContent("https://example.com/cat.png", "image/png"), model));
    }

    [Fact]
    public void A_low_detail_image_known_only_by_its_uri_counts_the_low_detail_base()
    {
        var image = new UriContent("https://example.com/cat.png", "image/png") { AdditionalProperties = new() { ["detail"] = "low" } };

        Assert.Equal(2_833, TokensOf(image, "gpt-4o-mini"));
    }

    [Theory]
    [InlineData("llama-3.1-70b")]
    [InlineData("gpt-5.7")]
    [InlineData(null)]
    public void An_image_to_a_model_no_rule_covers_counts_the_conservative_default(string? model)
    {
        Assert.Equal(6_000, TokensOf(Png(1024, 1024), model!));
        Assert.Equal(9_000, TokensOf(Png(1024, 1024), model!, new TokenizerTokenEstimator { UnknownModelImageTokens = 9_000 }));
    }

    [Fact]
    public void Image_bytes_whose_size_cannot_be_read_count_the_worst_case()
    {
        Assert.Equal(48_169, TokensOf(new DataContent(new byte[] { 1, 2, 3 }, "image/png"), "gpt-4o-mini"));
    }

    [Fact]
    public void Image_bytes_with_a_generic_media_type_are_still_an_image()
    {
        Assert.Equal(765, TokensOf(new DataContent(ImageEncodings.Png(1024, 1024), "application/octet-stream"), "gpt-4o"));
    }

    [Theory]
    [InlineData("audio/wav")]
    [InlineData("application/pdf")]
    [InlineData("video/mp4")]
    [InlineData("application/octet-stream")]
    public void An_attachment_no_rule_covers_counts_the_allowance(string mediaType)
    {
        Assert.Equal(25_000, TokensOf(new DataContent(new byte[] { 1, 2, 3, 4 }, mediaType), "gpt-4o"));
        Assert.Equal(25_000, TokensOf(new HostedFileContent("file-abc123"), "gpt-4o"));
    }

    [Fact]
    public void A_text_attachment_counts_its_text()
    {
        var file = new DataContent(Encoding.UTF8.GetBytes("What is the capital of France?"), "text/plain");

        Assert.Equal(7, TokensOf(file, "gpt-4o"));
    }

    [Fact]
    public void Image_tokens_are_not_inflated_by_the_margin_for_other_tokenizers()
    {
        // Claude's text is counted with o200k plus 35 %; the image's count is Anthropic's own.
        Assert.Equal(1_334, TokensOf(Png(1000, 1000), "claude-sonnet-4-5"));
    }

    [Fact]
    public void A_negative_allowance_is_refused_naming_the_property()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenizerTokenEstimator { UnknownModelImageTokens = -1 });

        Assert.Equal(nameof(TokenizerTokenEstimator.UnknownModelImageTokens), ex.ParamName);
    }
}
