using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>A prompt function slower than its hold's TTL keeps its hold while the model works on it.</summary>
public sealed class KeepAliveTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_prompt_function_slower_than_its_ttl_keeps_its_hold_until_it_is_settled()
    {
        var time = new FakeTimeProvider(Start);
        await using var bill = new AgentBillClient(options: new AgentBillOptions { RecordRetryDelay = TimeSpan.Zero }, timeProvider: time);
        var model = new BlockingChatService();
        var kernel = Kernels.ChatService(model, bill, configure: options =>
        {
            options.ReservationTtl = TimeSpan.FromSeconds(1);
            options.TimeProvider = time;
        });

        var call = kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));
        await model.Sent.Task;
        var held = await bill.ReservedAsync("acme");
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 3 s in, three TTLs past the first expiry: extended every half second, the hold is still there, until 4 s.
        var hold = Assert.Single(await bill.GetOpenHoldsAsync("acme"));
        Assert.Equal((held, Start.AddSeconds(4)), (hold.Units, hold.ExpiresAt));

        model.Answer();
        await call;
        Assert.Empty(await bill.GetOpenHoldsAsync("acme"));
        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_streamed_prompt_function_waiting_for_its_first_token_keeps_its_hold()
    {
        var time = new FakeTimeProvider(Start);
        await using var bill = new AgentBillClient(options: new AgentBillOptions { RecordRetryDelay = TimeSpan.Zero }, timeProvider: time);
        var model = new BlockingChatService();
        var kernel = Kernels.ChatService(model, bill, configure: options =>
        {
            options.ReservationTtl = TimeSpan.FromSeconds(1);
            options.TimeProvider = time;
        });

        await using var items = kernel.InvokePromptStreamingAsync("What is the weather in Paris?", Kernels.For("acme")).GetAsyncEnumerator();
        var first = items.MoveNextAsync();
        await model.Sent.Task;
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // A model thinking for 3 s before its first token: extended every half second, held until 4 s.
        var hold = Assert.Single(await bill.GetOpenHoldsAsync("acme"));
        Assert.Equal(Start.AddSeconds(4), hold.ExpiresAt);

        model.Answer();
        Assert.True(await first);
        while (await items.MoveNextAsync())
        {
        }

        Assert.Empty(await bill.GetOpenHoldsAsync("acme"));
        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
    }
}
