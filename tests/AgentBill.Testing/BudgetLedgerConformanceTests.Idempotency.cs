using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task A_record_retried_with_the_same_key_changes_nothing_and_answers_as_the_first_did()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        var first = await client.RecordAsync("researcher", 30, "acme", idempotencyKey: "run-1");
        var retry = await client.RecordAsync("researcher", 30, "acme", idempotencyKey: "run-1");

        Assert.False(first.IsReplay);
        Assert.True(retry.IsReplay);
        Assert.Equal(first with { IsReplay = true }, retry);
        Assert.Equal(30, (await client.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task A_preflight_retried_with_the_same_key_holds_once_and_returns_the_same_reservation()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var request = new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 40, IdempotencyKey = "step-1" };

        var first = await client.PreflightAsync(request);
        var retry = await client.PreflightAsync(request);

        Assert.Equal(first.ReservationId, retry.ReservationId);
        Assert.True(retry.IsReplay);
        Assert.Equal(40, (await client.GetUsageAsync(scope)).Reserved);
    }

    [Fact]
    public async Task The_duplicate_check_runs_before_the_budget_check()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        var request = new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 100, IdempotencyKey = "whole-budget" };

        var first = await client.PreflightAsync(request);
        var retry = await client.PreflightAsync(request);

        Assert.True(first.Approved);
        Assert.True(retry.Approved);
        Assert.Equal(first.ReservationId, retry.ReservationId);
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_an_error_and_charges_nothing()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.RecordAsync("researcher", 30, "acme", idempotencyKey: "run-1");

        var ex = await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await client.RecordAsync("researcher", 31, "acme", idempotencyKey: "run-1"));
        var preflightEx = await Assert.ThrowsAsync<IdempotencyConflictException>(async () =>
        {
            await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 5, IdempotencyKey = "p" });
            await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 6, IdempotencyKey = "p" });
        });

        Assert.Equal("run-1", ex.IdempotencyKey);
        Assert.Equal("p", preflightEx.IdempotencyKey);
        var usage = await client.GetUsageAsync(scope);
        Assert.Equal((30L, 5L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_settle_retried_for_the_same_reservation_replays_instead_of_charging_again()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var hold = await client.PreflightAsync("researcher", 40, "acme");
        var settle = new RecordRequest("researcher", 25) { CustomerId = "acme", ReservationId = hold.ReservationId };

        var first = await client.RecordAsync(settle);
        var retry = await client.RecordAsync(settle);

        Assert.True(retry.IsReplay);
        Assert.Equal(first.SettledReservationId, retry.SettledReservationId);
        Assert.Equal(25, (await client.GetUsageAsync(scope)).Used);
        await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await client.RecordAsync(settle with { Units = 26 }));
    }

    [Fact]
    public async Task Idempotency_keys_are_forgotten_after_the_window()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.IdempotencyWindow = TimeSpan.FromHours(1));
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 1_000, BudgetPeriod.Lifetime));

        await client.RecordAsync("researcher", 10, "acme", idempotencyKey: "daily-report");
        Time.Advance(TimeSpan.FromHours(2));
        var later = await client.RecordAsync("researcher", 10, "acme", idempotencyKey: "daily-report");

        Assert.False(later.IsReplay);
        Assert.Equal(20, (await client.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task Idempotency_keys_of_different_customers_never_meet()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        var alice = await client.RecordAsync("researcher", 10, "alice", idempotencyKey: "run-1");
        var bob = await client.RecordAsync("researcher", 20, "bob", idempotencyKey: "run-1");

        Assert.False(alice.IsReplay);
        Assert.False(bob.IsReplay);
        Assert.Equal(20, bob.Units);
    }
}
