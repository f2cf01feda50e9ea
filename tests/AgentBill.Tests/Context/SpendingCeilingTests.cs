namespace AgentBill.Tests.Context;

/// <summary>A run's own cap, kept in the process: what the calls inside a context spend and hold together.</summary>
public sealed class SpendingCeilingTests
{
    [Fact]
    public async Task A_run_ceiling_refuses_the_call_that_would_pass_it_while_the_customer_budget_has_room()
    {
        await using var bill = new AgentBillClient();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000, BudgetPeriod.Month));

        using var run = AgentBillContext.Begin(customerId: "acme", ceiling: new SpendingCeiling(UsageMeter.Units, 20));
        await (await bill.ReserveAsync("researcher", 8)).CommitAsync(12);
        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(async () => await bill.ReserveAsync("researcher", 9));

        Assert.Equal(RefusalReason.RunCeilingExceeded, ex.Reason);
        Assert.Equal(RefusalPersistence.Permanent, ex.Persistence);
        Assert.Equal(8, ex.Refusal.RemainingUnits);
        Assert.Contains("run's spending ceiling", ex.Message);
        Assert.Equal(8, run.CeilingRemaining);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Reserved);
    }

    [Fact]
    public async Task Open_holds_of_the_run_count_until_they_close_and_then_only_what_they_charged_does()
    {
        await using var bill = new AgentBillClient();
        using var run = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Tokens, 100));
        var request = new PreflightRequest("model") { EstimatedUnits = 40, Meter = UsageMeter.Tokens };

        var first = await bill.ReserveAsync(request);
        var second = await bill.ReserveAsync(request);
        var refused = await bill.PreflightAsync(request);
        await first.CommitAsync(10);
        await second.DisposeAsync();

        Assert.Equal(RefusalReason.RunCeilingExceeded, refused.Reason);
        Assert.Equal(RefusalPersistence.UntilHoldsEnd, refused.Persistence);
        Assert.Equal(90, run.CeilingRemaining);
    }

    [Fact]
    public async Task Concurrent_calls_of_one_run_never_pass_its_ceiling_together()
    {
        await using var bill = new AgentBillClient();
        using var run = AgentBillContext.Begin(customerId: "acme", ceiling: new SpendingCeiling(UsageMeter.Units, 100));

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await bill.ReserveAsync("researcher", 7);
            }
            catch (BudgetExhaustedException)
            {
                return null;
            }
        })));

        Assert.Equal(14, results.Count(r => r is not null));
        Assert.Equal(98, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Reserved);
    }

    [Fact]
    public async Task The_tightest_of_nested_ceilings_wins_and_another_meter_is_not_capped()
    {
        await using var bill = new AgentBillClient();
        using var outer = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 50));
        using var inner = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 500));

        var refused = await bill.PreflightAsync("researcher", 51);
        var otherMeter = await bill.PreflightAsync(new PreflightRequest("model") { EstimatedUnits = 10_000, Meter = UsageMeter.MicroUsd });

        Assert.Equal(RefusalReason.RunCeilingExceeded, refused.Reason);
        Assert.True(otherMeter.Approved);
    }

    [Fact]
    public async Task A_top_up_past_the_run_ceiling_is_refused_and_the_hold_keeps_its_units()
    {
        await using var bill = new AgentBillClient();
        using var run = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 30));
        await using var reservation = await bill.ReserveAsync("researcher", 20);

        var refused = await reservation.TopUpAsync(11);
        var grown = await reservation.TopUpAsync(10);

        Assert.Equal(RefusalReason.RunCeilingExceeded, refused.Reason);
        Assert.True(grown.Approved);
        Assert.Equal(30, reservation.HeldUnits);
        Assert.Equal(0, run.CeilingRemaining);
    }

    [Fact]
    public async Task A_run_ceiling_still_holds_when_the_store_is_down_and_the_client_fails_open()
    {
        await using var bill = new AgentBillClient(new UnreachableLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });
        using var run = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));

        var degraded = await bill.ReserveAsync("researcher", 10);
        var refused = await bill.PreflightAsync("researcher", 1);

        Assert.True(degraded.Result.IsDegraded);
        Assert.Equal(RefusalReason.RunCeilingExceeded, refused.Reason);
    }

    [Fact]
    public void A_ceiling_with_a_bad_limit_is_refused_naming_it()
        => Assert.Throws<ArgumentOutOfRangeException>("limit", () => new SpendingCeiling(UsageMeter.Units, -1));
}
