using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task A_hold_past_its_ttl_returns_its_units()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var abandoned = await client.PreflightAsync("researcher", 100, "acme");

        Time.Advance(TimeSpan.FromMinutes(4));
        var beforeExpiry = await client.PreflightAsync("researcher", 1, "acme");
        Time.Advance(TimeSpan.FromMinutes(1));
        var atExpiry = await client.PreflightAsync("researcher", 100, "acme");

        Assert.Equal(Start + TimeSpan.FromMinutes(5), abandoned.ExpiresAt);
        Assert.False(beforeExpiry.Approved);
        Assert.True(atExpiry.Approved);
        Assert.Equal(atExpiry.ReservationId, Assert.Single(await client.GetOpenHoldsAsync("acme")).ReservationId);
    }

    [Fact]
    public async Task A_late_settle_after_expiry_charges_the_actual_usage_and_never_releases_twice()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var late = await client.ReserveAsync("researcher", 60, "acme");
        Time.Advance(TimeSpan.FromMinutes(6));
        await using var next = await client.ReserveAsync("researcher", 70, "acme");

        var settled = await late.CommitAsync(40);

        Assert.Null(settled.SettledReservationId);
        Assert.Equal(0, settled.ReleasedUnits);
        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((40L, 70L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_late_settle_retried_is_charged_once()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var hold = await client.PreflightAsync("researcher", 60, "acme");
        Time.Advance(TimeSpan.FromMinutes(6));
        var settle = new RecordRequest("researcher", 40) { CustomerId = "acme", ReservationId = hold.ReservationId };

        await client.RecordAsync(settle);
        var retry = await client.RecordAsync(settle);

        Assert.True(retry.IsReplay);
        Assert.Equal(40, (await client.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task Extending_a_hold_keeps_it_past_its_first_expiry()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var reservation = await client.ReserveAsync("researcher", 50, "acme");

        Time.Advance(TimeSpan.FromMinutes(4));
        var extended = await reservation.ExtendAsync();
        Time.Advance(TimeSpan.FromMinutes(4));

        Assert.True(extended);
        Assert.Equal(Start + TimeSpan.FromMinutes(9), reservation.ExpiresAt);
        Assert.Equal(50, (await client.GetUsageAsync(scope)).Reserved);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await client.GetUsageAsync(scope)).Reserved);
        Assert.False(await reservation.ExtendAsync());
    }

    [Fact]
    public async Task A_top_up_grows_a_running_hold_and_a_refused_one_leaves_it_as_it_was()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var loop = await client.ReserveAsync("researcher", 20, "acme");

        var grown = await loop.TopUpAsync(50);
        var refused = await loop.TopUpAsync(31);

        Assert.True(grown.Approved);
        Assert.Equal(70, grown.HeldUnits);
        Assert.Equal(30, grown.RemainingUnits);
        Assert.False(refused.Approved);
        Assert.Equal(RefusalReason.BudgetExhausted, refused.Reason);
        Assert.Equal(30, refused.RemainingUnits);
        Assert.Equal(70, loop.HeldUnits);
        Assert.Equal(70, (await client.GetUsageAsync(scope)).Reserved);

        var committed = await loop.CommitAsync(65);
        Assert.Equal(70, committed.ReleasedUnits);
        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((65L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_top_up_checks_the_task_budget_too()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Task("acme", "job-1"), UsageMeter.Units, 30, BudgetPeriod.Lifetime));
        await using var loop = await client.ReserveAsync(new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "job-1", EstimatedUnits = 20 });

        var refused = await loop.TopUpAsync(11);

        Assert.False(refused.Approved);
        Assert.Equal(RefusalReason.TaskCeilingExceeded, refused.Reason);
        Assert.Equal(10, refused.RemainingUnits);
    }

    [Fact]
    public async Task A_top_up_of_an_expired_hold_is_refused_as_not_open()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        await using var loop = await client.ReserveAsync("researcher", 20, "acme");
        Time.Advance(TimeSpan.FromMinutes(5));

        var refused = await loop.TopUpAsync(1);

        Assert.False(refused.Approved);
        Assert.Equal(RefusalReason.ReservationNotOpen, refused.Reason);
    }

    [Fact]
    public async Task An_expired_hold_of_a_global_budget_returns_its_units_to_every_customer()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        if (!await SetGlobalBudgetOrCheckRefusal(client, new Budget(BudgetScope.Global, UsageMeter.Units, 100, BudgetPeriod.Month)))
        {
            return;
        }

        await client.PreflightAsync("researcher", 100, "idle-customer");
        Time.Advance(TimeSpan.FromMinutes(5));

        var other = await client.PreflightAsync("researcher", 100, "busy-customer");

        Assert.True(other.Approved);
        Assert.Equal(100, (await client.GetUsageAsync(BudgetScope.Global)).Reserved);
    }
}
