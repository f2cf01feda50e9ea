using AgentBill.Ledger;
using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Concurrent_preflights_approve_exactly_the_budget_divided_by_the_estimate()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000, BudgetPeriod.Month));

        var results = await Concurrently(64, 4, _ => client.PreflightAsync("researcher", 30, "acme"));

        var approved = results.Where(r => r.Approved).ToList();
        Assert.Equal(33, approved.Count);
        Assert.All(results.Where(r => !r.Approved), r => Assert.Equal(RefusalReason.BudgetExhausted, r.Reason));
        Assert.Equal(33, approved.Select(r => r.ReservationId).Distinct().Count());
        var usage = await client.GetUsageAsync(BudgetScope.Customer("acme"));
        Assert.Equal(990, usage.Reserved);
        Assert.Equal(0, usage.Used);
        Assert.Equal(990, (await client.GetOpenHoldsAsync("acme")).Sum(h => h.Units));
    }

    [Fact]
    public async Task Concurrent_commits_and_releases_leave_reserved_equal_to_open_holds_and_used_equal_to_commits()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000_000, BudgetPeriod.Month));

        var committed = await Concurrently(64, 3, async (worker) =>
        {
            await using var reservation = await client.ReserveAsync("researcher", 50, "acme");
            if (worker % 3 == 0)
            {
                return 0L; // released by disposal
            }

            var actual = 10L + worker;
            await reservation.CommitAsync(actual);
            return actual;
        });

        var usage = await client.GetUsageAsync(BudgetScope.Customer("acme"));
        Assert.Equal(committed.Sum(), usage.Used);
        Assert.Equal(0, usage.Reserved);
        Assert.Empty(await client.GetOpenHoldsAsync("acme"));
    }

    [Fact]
    public async Task Every_preflight_keeps_used_plus_reserved_within_the_limit_and_reserved_equal_to_open_holds()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 500, BudgetPeriod.Lifetime));
        for (var step = 0; step < 60; step++)
        {
            var result = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 7 + (step % 5) * 11 });
            if (result.Approved && step % 4 == 0)
            {
                await client.RecordAsync(new RecordRequest("researcher", 5) { CustomerId = "acme", ReservationId = result.ReservationId });
            }
            else if (result.Approved && step % 4 == 1)
            {
                await client.ReleaseAsync(result.ReservationId!, "acme");
            }

            var usage = await client.GetUsageAsync(scope);
            var holds = await client.GetOpenHoldsAsync("acme");
            Assert.Equal(holds.Sum(h => h.Units), usage.Reserved);
            Assert.True(usage.Used + usage.Reserved <= 500, $"step {step}: used {usage.Used} + reserved {usage.Reserved} > 500");
        }
    }

    /// <summary>Runs <paramref name="workers"/> tasks that start together, each calling <paramref name="action"/> <paramref name="rounds"/> times.</summary>
    protected static async Task<List<T>> Concurrently<T>(int workers, int rounds, Func<int, ValueTask<T>> action)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            await start.Task;
            var results = new List<T>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                results.Add(await action(worker * rounds + round));
            }

            return results;
        })).ToArray();
        start.SetResult();
        return [.. (await Task.WhenAll(tasks)).SelectMany(r => r)];
    }
}
