namespace AgentBill.Tests.Context;

/// <summary>Who pays when a call names nobody: the ambient <see cref="AgentBillContext"/> and its precedence.</summary>
public sealed class AmbientContextTests
{
    [Fact]
    public async Task A_call_that_names_no_customer_or_task_is_charged_to_the_innermost_context()
    {
        await using var bill = new AgentBillClient();

        using (AgentBillContext.Begin(customerId: "acme", taskRef: "job-1"))
        {
            await bill.RecordAsync("researcher", 5);
            var held = await bill.PreflightAsync("researcher", 3);
            Assert.Equal(("acme", "job-1"), (held.CustomerId, held.TaskRef));
        }

        Assert.Equal(5, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(5, (await bill.GetUsageAsync(BudgetScope.Task("acme", "job-1"))).Used);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Used);
    }

    [Fact]
    public async Task A_value_named_on_the_call_wins_over_the_context()
    {
        await using var bill = new AgentBillClient();

        using (AgentBillContext.Begin(customerId: "acme", taskRef: "job-1"))
        {
            var named = await bill.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "globex", TaskRef = "job-9" });
            Assert.Equal(("globex", "job-9"), (named.CustomerId, named.TaskRef));
        }
    }

    [Fact]
    public async Task Outside_every_context_the_client_default_customer_pays()
    {
        await using var bill = new AgentBillClient(options: new AgentBillOptions { DefaultCustomerId = "house" });

        var result = await bill.PreflightAsync("researcher", 1);

        Assert.Equal("house", result.CustomerId);
        Assert.Null(AgentBillContext.Current);
    }

    [Fact]
    public void A_nested_context_inherits_what_it_does_not_set_and_restores_the_outer_one()
    {
        using var outer = AgentBillContext.Begin(customerId: "acme", taskRef: "job-1", agentId: "planner");
        AgentBillContext inner;
        using (inner = AgentBillContext.Begin(taskRef: "job-2"))
        {
            Assert.Same(inner, AgentBillContext.Current);
            Assert.Same(outer, inner.Parent);
            Assert.Equal(("acme", "job-2", "planner"), (inner.CustomerId, inner.TaskRef, inner.AgentId));
        }

        Assert.Same(outer, AgentBillContext.Current);
    }

    [Fact]
    public void Begin_refuses_a_bad_id_naming_it_and_changes_nothing()
    {
        using var outer = AgentBillContext.Begin(customerId: "acme");

        var ex = Assert.Throws<ArgumentException>(() => AgentBillContext.Begin(customerId: "a\u0001b"));

        Assert.Equal("customerId", ex.ParamName);
        Assert.Same(outer, AgentBillContext.Current);
    }

    [Fact]
    public async Task Concurrent_flows_each_charge_their_own_customer_across_Task_Run_and_ConfigureAwait_false()
    {
        await using var bill = new AgentBillClient();
        var customers = Enumerable.Range(0, 32).Select(i => $"tenant-{i}").ToArray();

        await Task.WhenAll(customers.Select(customer => Task.Run(async () =>
        {
            using var context = AgentBillContext.Begin(customerId: customer);
            for (var step = 0; step < 10; step++)
            {
                await Task.Yield();
                await Task.Run(() => bill.RecordAsync("researcher", 1).AsTask()).ConfigureAwait(false);
            }
        })));

        foreach (var customer in customers)
        {
            Assert.Equal(10, (await bill.GetUsageAsync(BudgetScope.Customer(customer))).Used);
        }

        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Used);
    }

    [Fact]
    public async Task A_context_adds_up_what_was_charged_and_refused_inside_it_and_in_nested_ones()
    {
        await using var bill = new AgentBillClient(options: new AgentBillOptions { Ceiling = 10 });

        using var run = AgentBillContext.Begin(customerId: "acme");
        await bill.RecordAsync("researcher", 4);
        using (AgentBillContext.Begin(taskRef: "step"))
        {
            await using var reservation = await bill.ReserveAsync("researcher", 5);
            await reservation.CommitAsync(3);
            await bill.PreflightAsync("researcher", 11);
        }

        Assert.Equal(7, run.Usage.Units);
        Assert.Equal(1, run.Usage.Refusals);
        Assert.Equal(0, run.Usage.MicroUsd);
    }
}
