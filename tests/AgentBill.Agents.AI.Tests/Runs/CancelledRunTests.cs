namespace AgentBill.Agents.AI.Tests.Runs;

public sealed class CancelledRunTests
{
    [Fact]
    public async Task A_run_cancelled_during_a_model_call_leaves_no_hold_and_charges_the_call_that_was_sent_its_bound()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var model = new ToolCallingModel(toolRounds: 3);
        using var cancel = new CancellationTokenSource();
        model.Delay = async ct =>
        {
            if (model.Calls == 2)
            {
                // The second round-trip is in flight, its estimate held, when the caller gives up.
                Assert.Equal(Agents.RoundTrip, await bill.ReservedAsync("acme"));
                await cancel.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
        };
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => agent.RunAsync("Research it.", cancellationToken: cancel.Token));

        // The first round-trip at its usage; the second was sent, so the provider may bill it: charged its hold
        // (docs/model-call-usage.md), never 0. Nothing stays held.
        Assert.Equal(2 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_streaming_run_cancelled_before_its_first_update_leaves_no_hold_and_charges_the_sent_call_its_bound()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var model = new ToolCallingModel(toolRounds: 3);
        using var cancel = new CancellationTokenSource();
        model.Delay = async ct =>
        {
            await cancel.CancelAsync();
            ct.ThrowIfCancellationRequested();
        };
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in agent.RunStreamingAsync("Research it.", cancellationToken: cancel.Token))
            {
                _ = update;
            }
        });

        // The request reached the model before the caller gave up: charged its hold, flagged, and nothing stays held.
        Assert.Equal(Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }
}
