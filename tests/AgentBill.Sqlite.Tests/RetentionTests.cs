using AgentBill.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Sqlite.Tests;

/// <summary>Idle customers and old periods are deleted by the operations themselves, a few at a time; customers with a budget keep theirs.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempLedgerFiles _files = new();

    [Fact]
    public async Task A_customer_idle_for_the_retention_is_deleted_and_one_with_a_budget_is_kept()
    {
        var path = _files.NewPath();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(_files.Open(path, new SqliteLedgerOptions { UsageRetention = TimeSpan.FromDays(62), Synchronous = SqliteSynchronous.Normal }), timeProvider: time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("kept"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await bill.RecordAsync("researcher", 5, "idle");
        await bill.RecordAsync("researcher", 6, "kept");

        time.Advance(TimeSpan.FromDays(63));
        await bill.RecordAsync("researcher", 1, "someone-else");
        await bill.RecordAsync("researcher", 1, "someone-else");

        Assert.Equal(0, Count(path, "SELECT count(*) FROM agentbill_usage WHERE customer = 'idle'"));
        Assert.Equal(0, Count(path, "SELECT count(*) FROM agentbill_customers WHERE customer = 'idle'"));
        Assert.Equal(6, (await bill.GetUsageAsync(BudgetScope.Customer("kept"))).Used);
        Assert.Equal(0, Count(path, "SELECT count(*) FROM agentbill_usage WHERE customer = 'kept' AND period <> 'all'"));
    }

    [Fact]
    public async Task Answers_past_their_window_are_deleted_a_few_per_operation()
    {
        var path = _files.NewPath();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(_files.Open(path), new AgentBillOptions { IdempotencyWindow = TimeSpan.FromHours(1) }, time);
        for (var i = 0; i < 20; i++)
        {
            await bill.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = "acme", IdempotencyKey = "k" + i });
        }

        time.Advance(TimeSpan.FromHours(2));
        var forgotten = $"SELECT count(*) FROM agentbill_answers WHERE forget_at <= {time.GetUtcNow().UtcTicks}";
        var before = Count(path, forgotten);
        await bill.RecordAsync("researcher", 1, "acme");
        var afterOne = Count(path, forgotten);
        await bill.RecordAsync("researcher", 1, "acme");
        await bill.RecordAsync("researcher", 1, "acme");

        Assert.Equal((20L, 12L), (before, afterOne));
        Assert.Equal(0, Count(path, forgotten));
    }

    public void Dispose() => _files.Dispose();

    private static long Count(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
