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
    public async Task Remembered_answers_carry_a_server_expiry_at_least_a_day_past_their_window_and_holds_carry_none()
    {
        var prefix = "m" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix), new AgentBillOptions { IdempotencyWindow = TimeSpan.FromHours(1) }, time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        await bill.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 5, IdempotencyKey = "k" });

        var database = redis.Connection.GetDatabase();
        var tag = RedisKeys.CustomerTag("acme");
        var memory = await database.KeyTimeToLiveAsync($"{prefix}:{tag}:memory");
        // At least a day past the window; the script adds an hour of slack so that it moves the expiry once an hour, not on every answer.
        Assert.InRange(memory!.Value, TimeSpan.FromHours(25) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(26));
        Assert.Null(await database.KeyTimeToLiveAsync($"{prefix}:{tag}:holds"));
    }
}
