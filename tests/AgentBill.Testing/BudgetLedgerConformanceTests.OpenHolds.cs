using AgentBill.Ledger;
using Xunit;

namespace AgentBill.Testing;

/// <summary>Open holds listed page by page, and the cap on how many one customer may have open.</summary>
public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Pages_of_open_holds_list_every_hold_once_and_end_with_no_cursor()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 23; i++)
        {
            ids.Add((await client.PreflightAsync(new PreflightRequest(i % 2 == 0 ? "researcher" : "writer") { CustomerId = "acme", TaskRef = i % 3 == 0 ? "job" : null, EstimatedUnits = i + 1 })).ReservationId!);
        }

        await client.PreflightAsync("researcher", 1, "other");
        var listed = new List<OpenHold>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetOpenHoldsPageAsync("acme", cursor, limit: 5);
            Assert.InRange(page.Holds.Count, 1, 5);
            listed.AddRange(page.Holds);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Null(cursor);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(hold => hold.ReservationId).Order(StringComparer.Ordinal));
        Assert.All(listed, hold => Assert.Equal("acme", hold.CustomerId));
        Assert.Equal((await client.GetOpenHoldsAsync("acme")).Select(hold => hold.ReservationId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty((await client.GetOpenHoldsPageAsync("nobody")).Holds);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.GetOpenHoldsPageAsync("acme", limit: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.GetOpenHoldsPageAsync("acme", limit: OpenHoldPage.MaxLimit + 1));
    }

    [Fact]
    public async Task A_customer_at_the_cap_on_open_holds_is_refused_with_its_reason_and_holds_nothing_more_while_others_go_on()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        var scope = BudgetScope.Customer("whale");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, long.MaxValue / 1_000_000, BudgetPeriod.Lifetime));
        var call = Call("whale", "researcher");
        var expires = Time.GetUtcNow().AddHours(1);

        // Straight to the store, many at a time: the cap is far above what a test would reach through the client.
        const int Batch = 64;
        for (var start = 0; start < BudgetRules.MaxOpenHoldsPerCustomer; start += Batch)
        {
            var count = Math.Min(Batch, BudgetRules.MaxOpenHoldsPerCustomer - start);
            var outcomes = await Task.WhenAll(Enumerable.Range(start, count).Select(i => ledger.ReserveAsync(new ReserveCommand(call, "h" + i, 1, expires), CancellationToken.None).AsTask()));
            Assert.All(outcomes, outcome => Assert.True(outcome.Approved));
        }

        var refused = await client.PreflightAsync("researcher", 1, "whale");
        var other = await client.PreflightAsync("researcher", 1, "minnow");
        Assert.False(refused.Approved);
        Assert.Equal(RefusalReason.TooManyOpenHolds, refused.Reason);
        Assert.Null(refused.ReservationId);
        Assert.True(other.Approved);
        Assert.Equal(BudgetRules.MaxOpenHoldsPerCustomer, (await client.GetUsageAsync(scope)).Reserved);

        // One hold settled makes room for one more.
        await client.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = "whale", ReservationId = "h0" });
        Assert.True((await client.PreflightAsync("researcher", 1, "whale")).Approved);
        Assert.False((await client.PreflightAsync("researcher", 1, "whale")).Approved);
    }
}
