using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace AgentBill.Extensions.AI.Tests.Estimation;

public sealed class TokenizerTokenEstimatorTests
{
    private const string System = "You are a helpful assistant.";
    private const string Question = "What is the capital of France?";
    private const int Framing = TokenizerTokenEstimator.TokensPerReply;
    private const int PerMessage = TokenizerTokenEstimator.TokensPerMessage;

    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    [Fact]
    public void The_tokenizer_counts_known_texts_as_tiktoken_does()
    {
        Assert.Equal(4, TokenizerTokenEstimator.CountTokens("Hello, world!", "gpt-4o"));
        Assert.Equal(6, TokenizerTokenEstimator.CountTokens(System, "gpt-4o"));
        Assert.Equal(7, TokenizerTokenEstimator.CountTokens(Question, "gpt-4o"));
        Assert.Equal(2, TokenizerTokenEstimator.CountTokens("こんにちは世界", "gpt-4o"));
        Assert.Equal(4, TokenizerTokenEstimator.CountTokens("こんにちは世界", "gpt-4"));
    }

    [Fact]
    public void A_prompt_is_its_messages_tokens_plus_the_chat_framing()
    {
        var messages = new[] { new ChatMessage(ChatRole.System, System), new ChatMessage(ChatRole.User, Question) };

        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens(messages, null, "gpt-4o");

        Assert.Equal(O200k.CountTokens(System) + O200k.CountTokens(Question) + (2 * PerMessage) + Framing, estimate);
        Assert.Equal(24, estimate);
    }

    [Fact]
    public void The_options_instructions_count_as_a_system_message()
    {
        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens(
            [new ChatMessage(ChatRole.User, Question)], new ChatOptions { Instructions = System }, "gpt-4o");

        Assert.Equal(24, estimate);
    }

    [Fact]
    public void Tool_definitions_count_their_name_description_and_json_schema()
    {
        var tool = AIFunctionFactory.Create(GetWeather);
        var messages = new[] { new ChatMessage(ChatRole.User, Question) };
        var without = TokenizerTokenEstimator.Shared.EstimatePromptTokens(messages, null, "gpt-4o");

        var with = TokenizerTokenEstimator.Shared.EstimatePromptTokens(messages, new ChatOptions { Tools = [tool] }, "gpt-4o");

        var toolTokens = TokenizerTokenEstimator.TokensPerTool + O200k.CountTokens(tool.Name) + O200k.CountTokens(tool.Description)
            + O200k.CountTokens(tool.JsonSchema.GetRawText());
        Assert.Equal(without + toolTokens, with);
        Assert.True(toolTokens > 30, $"The schema alone is dozens of tokens, counted {toolTokens}.");
    }

    [Fact]
    public void Function_calls_and_results_count_their_json_as_Microsoft_Extensions_AI_serializes_it()
    {
        var arguments = new Dictionary<string, object?> { ["city"] = "Paris" };
        var call = new FunctionCallContent("call_1", "GetWeather", arguments);
        var result = new FunctionResultContent("call_1", "Sunny, 21 degrees");
        var messages = new[] { new ChatMessage(ChatRole.Assistant, [call]), new ChatMessage(ChatRole.Tool, [result]) };

        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens(messages, null, "gpt-4o");

        var expected = (2 * PerMessage) + Framing
            + O200k.CountTokens("call_1") + O200k.CountTokens("GetWeather") + O200k.CountTokens(JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions))
            + O200k.CountTokens("call_1") + O200k.CountTokens("Sunny, 21 degrees");
        Assert.Equal(expected, estimate);
    }

    [Fact]
    public void A_document_counts_the_attachment_allowance()
    {
        var document = new DataContent(new byte[] { 0x25, 0x50, 0x44, 0x46 }, "application/pdf");
        var estimator = new TokenizerTokenEstimator { TokensPerAttachment = 1_000 };

        var estimate = estimator.EstimatePromptTokens([new ChatMessage(ChatRole.User, [new TextContent("Hello, world!"), document])], null, "gpt-4o");

        Assert.Equal(4 + 1_000 + PerMessage + Framing, estimate);
    }

    [Fact]
    public void A_gpt_4_model_is_counted_with_cl100k()
    {
        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens([new ChatMessage(ChatRole.User, "こんにちは世界")], null, "gpt-4-0613");

        Assert.Equal(Cl100k.CountTokens("こんにちは世界") + PerMessage + Framing, estimate);
        Assert.Equal(11, estimate);
    }

    [Fact]
    public void A_gpt_4o_model_is_counted_with_o200k()
    {
        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens([new ChatMessage(ChatRole.User, "こんにちは世界")], null, "openai/gpt-4o");

        Assert.Equal(9, estimate);
    }

    [Fact]
    public void A_model_of_another_family_gets_the_margin_on_top_of_o200k()
    {
        var estimate = TokenizerTokenEstimator.Shared.EstimatePromptTokens([new ChatMessage(ChatRole.User, "Hello, world!")], null, "claude-sonnet-4-5");

        // 4 + 4 + 3 = 11 tokens, plus 35 %, rounded up: 14.85 → 15.
        Assert.Equal(15, estimate);
    }

    [Fact]
    public void An_embedding_batch_is_the_sum_of_its_texts()
    {
        var estimate = TokenizerTokenEstimator.Shared.EstimateEmbeddingTokens(["Hello, world!", "こんにちは世界"], "text-embedding-3-small");

        Assert.Equal(Cl100k.CountTokens("Hello, world!") + Cl100k.CountTokens("こんにちは世界"), estimate);
        Assert.Equal(8, estimate);
    }

    [Fact]
    public void A_negative_margin_is_refused_naming_the_property()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenizerTokenEstimator { OtherFamilyMarginPercent = -1 });

        Assert.Equal(nameof(TokenizerTokenEstimator.OtherFamilyMarginPercent), ex.ParamName);
    }

    [Description("Gets the current weather of a city.")]
    private static string GetWeather([Description("The city, in English.")] string city, [Description("Celsius or Fahrenheit.")] string unit = "Celsius")
        => $"Sunny in {city}, 21 {unit}";
}
