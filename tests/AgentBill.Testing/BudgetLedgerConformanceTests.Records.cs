using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Committing_a_reservation_returns_the_hold_and_charges_the_actual_usage()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        await using var reservation = await client.ReserveAsync("researcher", 40, "acme");
        var result = await reservation.CommitAsync(25);

        Assert.Equal(25, result.Units);
        Assert.Equal(reservation.Id, result.SettledReservationId);
        Assert.Equal(40, result.ReleasedUnits);
        Assert.Equal(75, result.RemainingUnits);
        Assert.False(result.IsOverrun);
        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((25L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task Disposing_an_uncommitted_reservation_releases_it_without_charging()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        await using (await client.ReserveAsync("researcher", 40, "acme"))
        {
            Assert.Equal(40, (await client.GetUsageAsync(scope)).Reserved);
        }

        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((0L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_record_without_a_reservation_id_settles_the_oldest_open_hold_of_the_same_agent()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000, BudgetPeriod.Month));
        var writer = await client.PreflightAsync("writer", 5, "acme");
        var oldest = await client.PreflightAsync("researcher", 10, "acme");
        var newest = await client.PreflightAsync("researcher", 20, "acme");

        var result = await client.RecordAsync("researcher", 12, "acme");

        Assert.Equal(oldest.ReservationId, result.SettledReservationId);
        Assert.Equal(10, result.ReleasedUnits);
        var open = (await client.GetOpenHoldsAsync("acme")).Select(h => h.ReservationId).Order().ToList();
        Assert.Equal(new[] { writer.ReservationId!, newest.ReservationId! }.Order().ToList(), open);
    }

    [Fact]
    public async Task A_record_with_no_open_hold_charges_directly()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        var result = await client.RecordAsync("researcher", 30, "acme");

        Assert.Null(result.SettledReservationId);
        Assert.Equal(0, result.ReleasedUnits);
        Assert.Equal(70, result.RemainingUnits);
        Assert.Equal(30, (await client.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task Usage_past_the_limit_is_stored_as_an_overrun_and_the_next_preflight_is_refused()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        await using var reservation = await client.ReserveAsync("researcher", 90, "acme");
        var result = await reservation.CommitAsync(130);
        var next = await client.PreflightAsync("researcher", 1, "acme");

        Assert.True(result.IsOverrun);
        Assert.Equal(0, result.RemainingUnits);
        var usage = await client.GetUsageAsync(scope);
        Assert.Equal(130, usage.Used);
        Assert.True(usage.IsOverrun);
        Assert.False(next.Approved);
        Assert.Equal(RefusalReason.BudgetExhausted, next.Reason);
    }

    [Fact]
    public async Task Releasing_is_idempotent_and_never_frees_another_calls_hold()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var mine = await client.PreflightAsync("researcher", 30, "acme");
        var theirs = await client.PreflightAsync("researcher", 40, "acme");

        var first = await client.ReleaseAsync(mine.ReservationId!, "acme");
        var second = await client.ReleaseAsync(mine.ReservationId!, "acme");
        var unknown = await client.ReleaseAsync("no-such-hold", "acme");
        var wrongCustomer = await client.ReleaseAsync(theirs.ReservationId!, "other");

        Assert.True(first);
        Assert.False(second);
        Assert.False(unknown);
        Assert.False(wrongCustomer);
        Assert.Equal(40, (await client.GetUsageAsync(scope)).Reserved);
        Assert.Equal(theirs.ReservationId, Assert.Single(await client.GetOpenHoldsAsync("acme")).ReservationId);
    }

    [Fact]
    public async Task Money_is_counted_in_exact_integer_micro_dollars()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        const long Limit = 1_000_000_000_000_000; // one billion dollars
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.MicroUsd, Limit, BudgetPeriod.Lifetime));

        await client.RecordAsync(new RecordRequest("researcher", 999_999_999_999_999) { CustomerId = "acme", Meter = UsageMeter.MicroUsd });
        var last = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", Meter = UsageMeter.MicroUsd, EstimatedUnits = 1 });
        var beyond = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", Meter = UsageMeter.MicroUsd, EstimatedUnits = 1 });

        Assert.True(last.Approved);
        Assert.Equal(0, last.RemainingUnits);
        Assert.False(beyond.Approved);
        Assert.Equal(999_999_999_999_999, (await client.GetUsageAsync(scope, UsageMeter.MicroUsd)).Used);
    }

    [Fact]
    public async Task Resetting_usage_keeps_open_holds_held()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.RecordAsync("researcher", 60, "acme");
        await client.PreflightAsync("researcher", 30, "acme");

        await client.ResetUsageAsync(scope);

        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((0L, 30L), (usage.Used, usage.Reserved));
        Assert.True((await client.PreflightAsync("researcher", 70, "acme")).Approved);
    }
}
