using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Tests.Context;

/// <summary>
/// <see cref="AgentBillOptions.RequireCustomer"/>: a write whose customer comes from nowhere is refused loudly, before
/// the store, instead of being charged to the default customer.
/// </summary>
public sealed class RequireCustomerTests
{
    [Fact]
    public async Task A_preflight_naming_no_customer_outside_every_context_throws_before_the_store_and_holds_nothing()
    {
        var ledger = new CountingLedger();
        await using var bill = Required(ledger);

        var ex = await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.PreflightAsync("researcher", 5));

        Assert.Equal(nameof(IAgentBill.PreflightAsync), ex.Operation);
        Assert.Equal("researcher", ex.AgentId);
        Assert.Equal(0, ledger.Calls);
        Assert.Empty(await bill.GetOpenHoldsAsync());
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Reserved);
    }

    [Fact]
    public async Task A_reservation_naming_no_customer_throws_before_the_store()
    {
        var ledger = new CountingLedger();
        await using var bill = Required(ledger);

        var ex = await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.ReserveAsync(new PreflightRequest("researcher") { EstimatedUnits = 5 }));

        Assert.Equal(nameof(IAgentBill.ReserveAsync), ex.Operation);
        Assert.Equal(0, ledger.Calls);
    }

    [Fact]
    public async Task A_record_naming_no_customer_throws_before_the_store_and_charges_nothing()
    {
        var ledger = new CountingLedger();
        await using var bill = Required(ledger);

        var ex = await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.RecordAsync("researcher", 5));

        Assert.Equal(nameof(IAgentBill.RecordAsync), ex.Operation);
        Assert.Equal(0, ledger.Calls);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Used);
    }

    [Fact]
    public async Task A_top_up_extension_or_release_naming_no_customer_throws_before_the_store()
    {
        var ledger = new CountingLedger();
        await using var bill = Required(ledger);

        await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.TopUpAsync("r-1", 5));
        await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.ExtendAsync("r-1"));
        await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.ReleaseAsync("r-1"));

        Assert.Equal(0, ledger.Calls);
    }

    [Fact]
    public async Task A_customer_named_on_the_call_or_by_the_context_is_enough()
    {
        await using var bill = Required(new CountingLedger());

        var named = await bill.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 5 });
        PreflightResult ambient;
        using (AgentBillContext.Begin(customerId: "globex"))
        {
            ambient = await bill.PreflightAsync("researcher", 5);
            await bill.RecordAsync("researcher", 3);
        }

        Assert.Equal(("acme", "globex"), (named.CustomerId, ambient.CustomerId));
        Assert.Equal(3, (await bill.GetUsageAsync(BudgetScope.Customer("globex"))).Used);
    }

    [Fact]
    public async Task A_context_that_names_only_a_task_does_not_name_a_customer()
    {
        await using var bill = Required(new CountingLedger());

        using (AgentBillContext.Begin(taskRef: "job-1"))
        {
            await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.PreflightAsync("researcher", 5));
        }
    }

    [Fact]
    public async Task A_reservation_settles_and_releases_under_its_own_customer_after_its_context_ended()
    {
        await using var bill = Required(new CountingLedger());
        Reservation held;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            held = await bill.ReserveAsync(new PreflightRequest("researcher") { EstimatedUnits = 5 });
        }

        await using (held)
        {
            await held.CommitAsync(4);
        }

        Assert.Equal(4, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task It_is_set_through_AddAgentBill_like_every_option()
    {
        await using var provider = new ServiceCollection().AddAgentBill(o => o.RequireCustomer = true).Services.BuildServiceProvider();
        var bill = provider.GetRequiredService<IAgentBill>();

        await Assert.ThrowsAsync<CustomerRequiredException>(async () => await bill.PreflightAsync("researcher", 1));
    }

    [Fact]
    public async Task It_is_off_by_default_and_the_default_customer_pays()
    {
        await using var bill = new AgentBillClient();

        var result = await bill.PreflightAsync("researcher", 1);

        Assert.False(new AgentBillOptions().RequireCustomer);
        Assert.Equal("default", result.CustomerId);
    }

    [Fact]
    public void The_exception_is_not_a_budget_refusal()
    {
        var ex = new CustomerRequiredException("PreflightAsync", "researcher");

        Assert.IsAssignableFrom<AgentBillException>(ex);
        Assert.IsNotAssignableFrom<AgentBillRefusedException>(ex);
        Assert.Contains(nameof(AgentBillOptions.RequireCustomer), ex.Message, StringComparison.Ordinal);
    }

    private static AgentBillClient Required(CountingLedger ledger)
        => new(ledger, new AgentBillOptions { RequireCustomer = true });

    /// <summary>Counts the calls that reach the store, reads excepted.</summary>
    private sealed class CountingLedger : DelegatingLedger
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken) { Interlocked.Increment(ref _calls); return base.ReserveAsync(command, cancellationToken); }
        public override ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken) { Interlocked.Increment(ref _calls); return base.TopUpAsync(command, cancellationToken); }
        public override ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken) { Interlocked.Increment(ref _calls); return base.ExtendAsync(command, cancellationToken); }
        public override ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken) { Interlocked.Increment(ref _calls); return base.ChargeAsync(command, cancellationToken); }
        public override ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken) { Interlocked.Increment(ref _calls); return base.ReleaseAsync(command, cancellationToken); }
    }
}
