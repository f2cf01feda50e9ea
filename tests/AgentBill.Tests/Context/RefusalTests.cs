using AgentBill.Pricing;

namespace AgentBill.Tests.Context;

/// <summary>Refusals have their own base, apart from outages and caller bugs, and say whether waiting helps.</summary>
public sealed class RefusalTests
{
    [Fact]
    public void Every_refusal_derives_from_the_refusal_base_and_no_fault_does()
    {
        Assert.True(typeof(AgentBillRefusedException).IsAssignableFrom(typeof(CeilingExceededException)));
        Assert.True(typeof(AgentBillRefusedException).IsAssignableFrom(typeof(BudgetExhaustedException)));
        Assert.True(typeof(AgentBillRefusedException).IsAssignableFrom(typeof(UnknownModelException)));
        Assert.False(typeof(AgentBillRefusedException).IsAssignableFrom(typeof(AgentBillUnavailableException)));
        Assert.False(typeof(AgentBillRefusedException).IsAssignableFrom(typeof(IdempotencyConflictException)));
    }

    [Fact]
    public async Task Code_that_catches_refusals_never_swallows_an_outage()
    {
        await using var bill = new AgentBillClient(new UnreachableLedger());

        async Task<string> Run()
        {
            try
            {
                await bill.ReserveAsync("researcher", 1);
                return "ran";
            }
            catch (AgentBillRefusedException)
            {
                return "refused";
            }
        }

        await Assert.ThrowsAsync<AgentBillUnavailableException>(Run);
    }

    [Fact]
    public async Task A_ceiling_refusal_is_permanent()
    {
        await using var bill = new AgentBillClient(options: new AgentBillOptions { Ceiling = 10 });

        var ex = await Assert.ThrowsAsync<CeilingExceededException>(async () => await bill.ReserveAsync("researcher", 11));

        Assert.Equal(RefusalPersistence.Permanent, ex.Persistence);
        Assert.Null(ex.RetryAt);
        Assert.Contains("Waiting does not help", ex.Message);
    }

    [Fact]
    public async Task The_client_ceiling_limits_only_its_own_meter()
    {
        await using var bill = new AgentBillClient(options: new AgentBillOptions { Ceiling = 50 });

        var money = await bill.PreflightAsync(new PreflightRequest("chat") { EstimatedUnits = 62, Meter = UsageMeter.MicroUsd });
        var tokens = await bill.PreflightAsync(new PreflightRequest("chat") { EstimatedUnits = 1_000, Meter = UsageMeter.Tokens });
        var units = await bill.PreflightAsync("researcher", 51);

        Assert.True(money.Approved);
        Assert.True(tokens.Approved);
        Assert.Equal(RefusalReason.CeilingExceeded, units.Reason);
    }

    [Fact]
    public async Task Each_meter_can_have_its_own_client_ceiling()
    {
        var options = new AgentBillOptions();
        options.Ceilings[UsageMeter.MicroUsd] = 100_000;
        await using var bill = new AgentBillClient(options: options);

        var tooDear = await bill.PreflightAsync(new PreflightRequest("chat") { EstimatedUnits = 100_001, Meter = UsageMeter.MicroUsd });
        var anyUnits = await bill.PreflightAsync("researcher", 1_000_000);

        Assert.Equal(RefusalReason.CeilingExceeded, tooDear.Reason);
        Assert.True(anyUnits.Approved);
    }

    [Fact]
    public async Task A_top_up_obeys_the_ceiling_the_hold_was_made_under()
    {
        await using var bill = new AgentBillClient(options: new AgentBillOptions { Ceiling = 50 });
        await using var reservation = await bill.ReserveAsync("researcher", 50);

        var refused = await reservation.TopUpAsync(500);
        var ok = await reservation.TopUpAsync(0);

        Assert.False(refused.Approved);
        Assert.Equal(RefusalReason.CeilingExceeded, refused.Reason);
        Assert.Equal(RefusalPersistence.Permanent, refused.Persistence);
        Assert.Equal(50, reservation.HeldUnits);
        Assert.True(ok.Approved);
        Assert.Equal(50, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Reserved);
    }
}
