using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// A hold made before holds were kept per period (its record has no version part, its units sit in one field per
/// scope) gives its units back to that old field when it closes, and never lowers the counters of the new layout.
/// </summary>
public sealed class LegacyHoldTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const char Id = '\x1e';
    private const char Part = '\x1c';
    private const char Field = '\x1f';

    [Fact]
    public async Task A_hold_of_the_old_layout_returns_its_units_to_the_old_field_and_leaves_new_holds_counted()
    {
        var prefix = "l" + Guid.NewGuid().ToString("N");
        var ledger = redis.CreateLedger(prefix);
        await using var bill = new AgentBillClient(ledger);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var old = await bill.PreflightAsync("researcher", 30, "acme");
        var book = new RedisKeys(prefix).Book("acme");
        var database = redis.Connection.GetDatabase();

        // Turn the first hold into one the earlier version wrote: no version part, its units in the per-scope fields.
        var holdField = "h" + Part + old.ReservationId;
        var record = (string)(await database.HashGetAsync(book, holdField))!;
        await database.HashSetAsync(book, holdField, record[..record.LastIndexOf(Field)]);
        string[] scopes = ["c" + Id + "0", "a" + Id + "0" + Id + "researcher"];
        foreach (var scopeField in scopes)
        {
            // The scope's packed counters held only this hold: without them, nothing is held in any period.
            await database.HashDeleteAsync(book, "P" + Part + scopeField);
            await database.HashSetAsync(book, "r" + Part + scopeField, 30);
        }

        var fresh = await bill.PreflightAsync("researcher", 20, "acme");
        await bill.ReleaseAsync(old.ReservationId!, "acme");

        Assert.True(fresh.Approved);
        foreach (var scopeField in scopes)
        {
            Assert.Equal(0, (long)await database.HashGetAsync(book, "r" + Part + scopeField));
        }

        Assert.Equal(20, (await bill.GetUsageAsync(scope)).Reserved);
    }
}
