using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>
/// However many holds one customer has open, every script does bounded work: a record finds the oldest hold of
/// its kind through the index, listing is paged, expired holds are swept a bounded number per call, and another
/// customer's calls cost what they cost on an empty server. Work is read from the server's own statistics.
/// </summary>
public sealed class BoundedWorkTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Holds = 100_000;

    [Fact]
    public async Task A_hundred_thousand_open_holds_on_one_customer_leave_every_call_bounded_and_other_customers_unaffected()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var prefix = "w" + Guid.NewGuid().ToString("N");
        var ledger = redis.CreateLedger(prefix);
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions { ReservationTtl = TimeSpan.FromMinutes(10) }, time);
        var server = redis.Connection.GetServer(redis.Server.EndPoint);
        foreach (var customer in new[] { "whale", "minnow" })
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Customer(customer), UsageMeter.Units, long.MaxValue / 1_000_000, BudgetPeriod.Month));
        }

        // Before the whale holds anything: what a record and another customer's call cost.
        await ServerStats.ResetAsync(server);
        await GatedCallsAsync(bill, "whale", 200);
        var whaleEmpty = await ServerStats.ReadAsync(server);
        await ServerStats.ResetAsync(server);
        await GatedCallsAsync(bill, "minnow", 200);
        var minnowAlone = await ServerStats.ReadAsync(server);

        // The whale opens 100,000 holds (many agents, so the oldest of one kind is not simply the oldest), all at once.
        var call = new LedgerCall
        {
            CustomerId = "whale",
            AgentId = "bulk",
            Meter = UsageMeter.Units,
            Now = time.GetUtcNow(),
            Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(time.GetUtcNow()),
            RememberUntil = time.GetUtcNow(),
        };
        for (var start = 0; start < Holds; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, 500).Select(i => ledger.ReserveAsync(
                new ReserveCommand(call with { AgentId = "bulk-" + (i % 97) }, "h" + i, 1, time.GetUtcNow().AddMinutes(10)), CancellationToken.None).AsTask()));
        }

        Assert.Equal(Holds, (await bill.GetUsageAsync(BudgetScope.Customer("whale"))).Reserved);
        var capped = await bill.PreflightAsync("researcher", 1, "whale");
        Assert.Equal(RefusalReason.TooManyOpenHolds, capped.Reason);

        // Unnamed records of the whale settle the oldest hold of their agent through the index.
        await ServerStats.ResetAsync(server);
        var settledIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var settled = await bill.RecordAsync(new RecordRequest("bulk-5", 1) { CustomerId = "whale" });
            Assert.Equal(5, int.Parse(settled.SettledReservationId![1..], System.Globalization.CultureInfo.InvariantCulture) % 97);
            Assert.True(settledIds.Add(settled.SettledReservationId));
        }

        var whaleRecords = await ServerStats.ReadAsync(server);
        await ServerStats.ResetAsync(server);
        await GatedCallsAsync(bill, "minnow", 200);
        var minnowBeside = await ServerStats.ReadAsync(server);

        // Flat: as many commands per script as with nothing held, and no slower on the server than a few times a
        // call with nothing held (reading 100,000 holds took seconds a call).
        Assert.InRange(whaleRecords.CommandsPerScript, 1, whaleEmpty.CommandsPerScript + 2);
        Assert.InRange(whaleRecords.MicrosecondsPerScript, 0, Math.Max(5 * whaleEmpty.MicrosecondsPerScript, 2_000));
        Assert.InRange(minnowBeside.CommandsPerScript, 1, minnowAlone.CommandsPerScript + 1);
        Assert.InRange(minnowBeside.MicrosecondsPerScript, 0, Math.Max(5 * minnowAlone.MicrosecondsPerScript, 2_000));

        // Listing is paged.
        var page = await bill.GetOpenHoldsPageAsync("whale", limit: OpenHoldPage.MaxLimit);
        Assert.Equal(OpenHoldPage.MaxLimit, page.Holds.Count);
        Assert.NotNull(page.NextCursor);

        // Every hold expires at once: each call sweeps a bounded number, and the holds still to sweep only ever
        // count as held (a refusal, never an approval too many), until every one is back.
        time.Advance(TimeSpan.FromMinutes(10));
        await ServerStats.ResetAsync(server);
        var calls = 0;
        while ((await bill.GetUsageAsync(BudgetScope.Customer("whale"))).Reserved > 0)
        {
            Assert.True(++calls <= (Holds / 256) + 2, "the sweep does not end");
        }

        var sweeping = await ServerStats.ReadAsync(server);
        Assert.InRange(calls, (Holds / 256) - 2, (Holds / 256) + 2);
        Assert.InRange(sweeping.CommandsPerScript, 1, 20);
        Assert.Empty(await bill.GetOpenHoldsAsync("whale"));
        Assert.Equal(0, await redis.Connection.GetDatabase().SortedSetLengthAsync($"{prefix}:{RedisKeys.CustomerTag("whale")}:x"));
    }

    private static async Task GatedCallsAsync(AgentBillClient bill, string customer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var reservation = await bill.ReserveAsync("researcher", 3, customer);
            await reservation.CommitAsync(2);
        }
    }
}
