using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>A streaming prompt function is settled when the stream ends, and charges the customer its arguments named.</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task A_streamed_prompt_function_through_a_gated_chat_client_is_settled_and_charged_to_its_customer()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.GatedChatClient(new LocalModel(), bill);

        var text = string.Concat(await ReadAsync(kernel.InvokePromptStreamingAsync("What is the weather in Paris?", Kernels.For("acme"))));

        Assert.Equal("It is sunny.", text);
        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.UsedAsync("default"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_streamed_prompt_function_through_a_chat_service_of_its_own_is_settled_from_the_last_chunk_usage()
    {
        await using var bill = Kernels.Bill();
        var service = new LocalChatService(new UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens });
        var kernel = Kernels.ChatService(service, bill);

        var text = string.Concat(await ReadAsync(kernel.InvokePromptStreamingAsync("What is the weather in Paris?", Kernels.For("acme"))));

        Assert.Equal("It is sunny.", text);
        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_streamed_prompt_function_whose_input_and_output_usage_arrive_in_separate_updates_is_charged_both()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.ChatService(new SplitUsageChatService(), bill);

        var text = string.Concat(await ReadAsync(kernel.InvokePromptStreamingAsync("What is the weather in Paris?", Kernels.For("acme"))));

        // 1,000 input tokens from the first update and 200 output tokens from the last: 150 + 120 micro-USD.
        Assert.Equal("It is sunny.", text);
        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    private static async Task<List<string>> ReadAsync(IAsyncEnumerable<StreamingKernelContent> stream)
    {
        var items = new List<string>();
        await foreach (var item in stream)
        {
            items.Add(item.ToString());
        }

        return items;
    }
}
