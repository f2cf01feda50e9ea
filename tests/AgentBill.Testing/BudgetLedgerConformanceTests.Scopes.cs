using AgentBill.Ledger;
using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task A_customer_budget_refuses_what_it_cannot_hold_and_reports_what_is_left()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));

        var first = await client.PreflightAsync("researcher", 70, "acme");
        var second = await client.PreflightAsync("researcher", 40, "acme");

        Assert.True(first.Approved);
        Assert.Equal(30, first.RemainingUnits);
        Assert.False(second.Approved);
        Assert.Equal(RefusalReason.BudgetExhausted, second.Reason);
        Assert.Equal(30, second.RemainingUnits);
        Assert.Equal(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), second.RefusedBy);
        Assert.Null(second.ReservationId);
    }

    [Fact]
    public async Task Customers_never_share_a_budget()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 10, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.Units, 10, BudgetPeriod.Month));

        await client.RecordAsync("researcher", 10, "alice");
        var alice = await client.PreflightAsync("researcher", 1, "alice");
        var bob = await client.PreflightAsync("researcher", 10, "bob");

        Assert.False(alice.Approved);
        Assert.True(bob.Approved);
        Assert.Equal(0, bob.RemainingUnits);
    }

    [Fact]
    public async Task An_agent_budget_limits_only_that_agent_of_the_customer()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "researcher"), UsageMeter.Units, 50, BudgetPeriod.Month));

        var researcher = await client.PreflightAsync("researcher", 60, "acme");
        var writer = await client.PreflightAsync("writer", 60, "acme");

        Assert.False(researcher.Approved);
        Assert.Equal(RefusalReason.BudgetExhausted, researcher.Reason);
        Assert.Equal(new BudgetKey(BudgetScope.Agent("acme", "researcher"), UsageMeter.Units), researcher.RefusedBy);
        Assert.True(writer.Approved);
        Assert.Equal(940, writer.RemainingUnits);
    }

    [Fact]
    public async Task A_task_budget_spans_many_calls_and_refuses_with_TaskCeilingExceeded()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Task("acme", "job-7"), UsageMeter.Units, 25, BudgetPeriod.Lifetime));
        var request = new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "job-7", EstimatedUnits = 10 };

        var first = await client.PreflightAsync(request);
        var second = await client.PreflightAsync(request);
        var third = await client.PreflightAsync(request);
        var otherTask = await client.PreflightAsync(request with { TaskRef = "job-8" });

        Assert.True(first.Approved);
        Assert.True(second.Approved);
        Assert.False(third.Approved);
        Assert.Equal(RefusalReason.TaskCeilingExceeded, third.Reason);
        Assert.Equal(5, third.RemainingUnits);
        Assert.True(otherTask.Approved);
    }

    [Fact]
    public async Task A_global_budget_spans_every_customer()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        if (!await SetGlobalBudgetOrCheckRefusal(client, new Budget(BudgetScope.Global, UsageMeter.Units, 100, BudgetPeriod.Day)))
        {
            return;
        }

        var alice = await client.PreflightAsync("researcher", 60, "alice");
        var bob = await client.PreflightAsync("researcher", 60, "bob");
        await client.ReleaseAsync(alice.ReservationId!, "alice");
        var bobAgain = await client.PreflightAsync("researcher", 60, "bob");

        Assert.True(alice.Approved);
        Assert.False(bob.Approved);
        Assert.Equal(BudgetScopeKind.Global, bob.RefusedBy!.Value.Scope.Kind);
        Assert.True(bobAgain.Approved);
        Assert.Equal(60, (await client.GetUsageAsync(BudgetScope.Global)).Reserved);
    }

    [Fact]
    public async Task A_refusal_by_one_budget_holds_nothing_on_the_others()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "researcher"), UsageMeter.Units, 10, BudgetPeriod.Month));

        var refused = await client.PreflightAsync("researcher", 20, "acme");

        Assert.False(refused.Approved);
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Reserved);
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Agent("acme", "researcher"))).Reserved);
        Assert.Empty(await client.GetOpenHoldsAsync("acme"));
    }

    [Fact]
    public async Task The_default_customer_budget_applies_without_being_written_to_the_store()
    {
        var ledger = await CreateLedgerAsync();
        await using var small = CreateClient(ledger, o => o.DefaultCustomerBudgets[UsageMeter.Units] = new BudgetLimit(10, BudgetPeriod.Month));
        await using var large = CreateClient(ledger, o => o.DefaultCustomerBudgets[UsageMeter.Units] = new BudgetLimit(1_000, BudgetPeriod.Month));

        var refusedBySmall = await small.PreflightAsync("researcher", 20, "acme");
        var approvedByLarge = await large.PreflightAsync("researcher", 20, "acme");

        Assert.False(refusedBySmall.Approved);
        Assert.True(approvedByLarge.Approved);
        Assert.Equal(980, approvedByLarge.RemainingUnits);
        Assert.Null(await small.GetBudgetAsync(BudgetScope.Customer("acme")));
    }

    [Fact]
    public async Task A_budget_set_for_the_customer_overrides_the_default()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.DefaultCustomerBudgets[UsageMeter.Units] = new BudgetLimit(10, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("vip"), UsageMeter.Units, 500, BudgetPeriod.Month));

        var vip = await client.PreflightAsync("researcher", 400, "vip");
        var regular = await client.PreflightAsync("researcher", 400, "regular");

        Assert.True(vip.Approved);
        Assert.False(regular.Approved);
        Assert.Equal(10, regular.RemainingUnits);
    }

    [Fact]
    public async Task Meters_are_budgeted_separately()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Tokens, 100, BudgetPeriod.Month));

        var units = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 500 });
        var tokens = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 500, Meter = UsageMeter.Tokens });

        Assert.True(units.Approved);
        Assert.Null(units.RemainingUnits);
        Assert.False(tokens.Approved);
    }

    [Fact]
    public async Task A_call_with_no_budget_is_approved_and_reports_no_remaining_units()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        var result = await client.PreflightAsync("researcher", 1_000_000, "acme");

        Assert.True(result.Approved);
        Assert.Null(result.RemainingUnits);
        Assert.NotNull(result.ReservationId);
    }

    [Fact]
    public async Task A_budget_of_zero_refuses_even_a_zero_estimate()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 0, BudgetPeriod.Month));

        var result = await client.PreflightAsync("researcher", 0, "acme");

        Assert.False(result.Approved);
        Assert.Equal(0, result.RemainingUnits);
    }

    [Fact]
    public async Task Budgets_can_be_read_replaced_and_removed()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Agent("acme", "researcher");

        await client.SetBudgetAsync(new Budget(scope, UsageMeter.MicroUsd, 5_000_000, BudgetPeriod.Week));
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.MicroUsd, 7_000_000, BudgetPeriod.Day));
        var replaced = await client.GetBudgetAsync(scope, UsageMeter.MicroUsd);
        var removed = await client.RemoveBudgetAsync(scope, UsageMeter.MicroUsd);
        var removedAgain = await client.RemoveBudgetAsync(scope, UsageMeter.MicroUsd);

        Assert.Equal(new Budget(scope, UsageMeter.MicroUsd, 7_000_000, BudgetPeriod.Day), replaced);
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Null(await client.GetBudgetAsync(scope, UsageMeter.MicroUsd));
    }
}
