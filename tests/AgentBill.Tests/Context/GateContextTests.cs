namespace AgentBill.Tests.Context;

/// <summary>A gated call's body runs in a context naming its parties, and charges inside it are never counted twice.</summary>
public sealed class GateContextTests
{
    [Fact]
    public async Task A_gated_body_runs_in_a_context_naming_the_gate_customer_task_agent_and_hold()
    {
        await using var bill = new AgentBillClient();
        AgentBillContext? seen = null;

        await GatedCalls.RunAsync(bill, new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "job-1" }, 0, _ =>
        {
            seen = AgentBillContext.Current;
            return Task.FromResult(true);
        });

        Assert.NotNull(seen);
        Assert.Equal(("acme", "job-1", "researcher"), (seen.CustomerId, seen.TaskRef, seen.AgentId));
        Assert.NotNull(seen.Reservation);
        Assert.Null(AgentBillContext.Current);
    }

    [Fact]
    public async Task A_gate_that_names_no_customer_takes_the_context_customer()
    {
        await using var bill = new AgentBillClient();

        using (AgentBillContext.Begin(customerId: "acme", taskRef: "job-1"))
        {
            await GatedCalls.RunAsync(bill, new PreflightRequest("researcher") { EstimatedUnits = 4 }, 0, _ => Task.FromResult(true));
        }

        Assert.Equal(4, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(4, (await bill.GetUsageAsync(BudgetScope.Task("acme", "job-1"))).Used);
    }

    [Fact]
    public async Task Charges_inside_a_gate_to_its_customer_and_meter_count_toward_it_and_are_not_charged_again()
    {
        await using var bill = new AgentBillClient();
        var gate = new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 50 };

        await GatedCalls.RunAsync(bill, gate, bill, async inner =>
        {
            // Two calls inside the body that hold and settle on their own, like model calls.
            await using (var first = await inner.ReserveAsync("model", 10))
            {
                await first.CommitAsync(12);
            }

            await using var second = await inner.ReserveAsync("model", 10);
            await second.CommitAsync(9);
            return true;
        });

        // Without a report the gate's usage is what its calls charged (21), not its estimate on top of them.
        Assert.Equal(21, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Agent("acme", "researcher"))).Used);
    }

    [Fact]
    public async Task A_gate_report_is_the_whole_run_less_what_its_calls_already_charged()
    {
        await using var bill = new AgentBillClient();

        await GatedCalls.RunAsync(bill, new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 50 }, bill, async inner =>
        {
            await inner.RecordAsync("model", 15);
            GateUsage.Report(40);
            return true;
        });

        Assert.Equal(40, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(25, (await bill.GetUsageAsync(BudgetScope.Agent("acme", "researcher"))).Used);
    }

    [Fact]
    public async Task Charges_on_another_meter_or_customer_inside_a_gate_leave_its_own_record_alone()
    {
        await using var bill = new AgentBillClient();

        await GatedCalls.RunAsync(bill, new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 30 }, bill, async inner =>
        {
            await inner.RecordAsync(new RecordRequest("model", 900) { Meter = UsageMeter.MicroUsd });
            await inner.RecordAsync(new RecordRequest("model", 7) { CustomerId = "globex" });
            return true;
        });

        Assert.Equal(30, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(900, (await bill.GetUsageAsync(BudgetScope.Customer("acme"), UsageMeter.MicroUsd)).Used);
        Assert.Equal(7, (await bill.GetUsageAsync(BudgetScope.Customer("globex"))).Used);
    }

    [Fact]
    public async Task A_gated_stream_read_after_its_context_ended_charges_the_customer_it_was_made_for()
    {
        await using var bill = new AgentBillClient();
        IAsyncEnumerable<int> stream;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            stream = GatedCalls.StreamAsync(bill, new PreflightRequest("streamer") { EstimatedUnits = 6 }, 3, Count);
        }

        var items = new List<int>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        Assert.Equal([1, 2, 3], items);
        Assert.Equal(6, (await bill.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("default"))).Used);
    }

    private static async IAsyncEnumerable<int> Count(int to)
    {
        for (var i = 1; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
