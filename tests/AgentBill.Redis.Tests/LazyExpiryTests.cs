using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>
/// Expiry is lazy, inside each script, by the client's clock. However much has come due since the last call,
/// the next call sees every hold and every remembered answer exactly as expired or not.
/// </summary>
public sealed class LazyExpiryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Many = 300;

    [Fact]
    public async Task Every_expired_global_share_of_every_customer_comes_back_before_the_next_check()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(redis.CreateLedger(), new AgentBillOptions { ReservationTtl = TimeSpan.FromMinutes(1) }, time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Global, UsageMeter.Units, Many, BudgetPeriod.Lifetime));
        for (var i = 0; i < Many; i++)
        {
            await bill.PreflightAsync("researcher", 1, "customer-" + i);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        var whole = await bill.PreflightAsync("researcher", Many, "newcomer");

        Assert.True(whole.Approved);
    }

    [Fact]
    public async Task An_idempotency_key_past_its_window_is_a_new_request_however_many_others_expired_with_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(redis.CreateLedger(), new AgentBillOptions { IdempotencyWindow = TimeSpan.FromHours(1) }, time);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 1_000_000, BudgetPeriod.Lifetime));
        for (var i = 0; i < Many; i++)
        {
            await bill.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = "acme", IdempotencyKey = $"k{i:000}" });
        }

        time.Advance(TimeSpan.FromHours(1));
        // The last key in the expiry index, so the first call after the window has not deleted it yet.
        var again = await bill.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = "acme", IdempotencyKey = $"k{Many - 1:000}" });

        Assert.False(again.IsReplay);
        Assert.Equal(Many + 1, (await bill.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task A_customer_without_a_budget_has_every_key_expire_after_the_retention_and_one_with_a_budget_keeps_them()
    {
        var prefix = "m" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix), new AgentBillOptions { IdempotencyWindow = TimeSpan.FromHours(1) }, time);
        var database = redis.Connection.GetDatabase();
        string[] Keys(string customer) => [.. new[] { "b", "z", "x", "m" }.Select(name => $"{prefix}:{RedisKeys.CustomerTag(customer)}:{name}")];

        foreach (var customer in new[] { "metered", "budgeted" })
        {
            // A record, then a hold left open: every kind of key the customer can have.
            await bill.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = customer, IdempotencyKey = "r" });
            await bill.PreflightAsync(new PreflightRequest("researcher") { CustomerId = customer, EstimatedUnits = 5, IdempotencyKey = "k" });
        }

        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("budgeted"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        // The retention (62 days by default) after the hold's expiry, plus at most the day of slack that lets the
        // expiry move once a day.
        foreach (var key in Keys("metered"))
        {
            Assert.InRange((await database.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromDays(62), TimeSpan.FromDays(63) + new AgentBillOptions().ReservationTtl);
        }

        foreach (var key in Keys("budgeted"))
        {
            Assert.True(await database.KeyExistsAsync(key));
            Assert.Null(await database.KeyTimeToLiveAsync(key));
        }

        // Its last budget gone, the customer's keys expire again.
        await bill.RemoveBudgetAsync(BudgetScope.Customer("budgeted"));
        Assert.NotNull(await database.KeyTimeToLiveAsync(Keys("budgeted")[0]));
    }
}
