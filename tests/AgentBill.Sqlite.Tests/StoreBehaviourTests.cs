using AgentBill.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Sqlite.Tests;

/// <summary>What this store does beyond the conformance suite: bounded expiry, a locked file, two processes making one file.</summary>
public sealed class StoreBehaviourTests : IDisposable
{
    private readonly TempLedgerFiles _files = new();

    [Fact]
    public async Task Expired_holds_are_returned_at_most_256_per_operation_and_are_not_open_meanwhile()
    {
        var path = _files.NewPath();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var ledger = _files.Open(path);
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions { ReservationTtl = TimeSpan.FromMinutes(1) }, time);
        for (var i = 0; i < 300; i++)
        {
            Assert.True((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        }

        time.Advance(TimeSpan.FromMinutes(2));
        var page = await ledger.GetOpenHoldsPageAsync("acme", null, 1000, time.GetUtcNow(), TestContext.Current.CancellationToken);
        var leftAfterOne = Count(path, "SELECT count(*) FROM agentbill_holds");
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("acme"));

        Assert.Empty(page.Holds);
        Assert.Equal(300 - 256, leftAfterOne);
        Assert.Equal((0L, 0L), (usage.Reserved, Count(path, "SELECT count(*) FROM agentbill_holds")));
    }

    [Fact]
    public async Task A_file_locked_longer_than_the_busy_timeout_is_an_outage_and_then_works_again()
    {
        var path = _files.NewPath();
        var ledger = _files.Open(path, new SqliteLedgerOptions { BusyTimeout = TimeSpan.FromMilliseconds(100), Synchronous = SqliteSynchronous.Normal });
        await using var bill = new AgentBillClient(ledger);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));

        await using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await other.OpenAsync(TestContext.Current.CancellationToken);
            await using var begin = other.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

            var error = await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync("researcher", 10, "acme"));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }

        Assert.True((await bill.PreflightAsync("researcher", 10, "acme")).Approved);
    }

    [Fact]
    public async Task Two_ledgers_making_one_new_file_at_once_share_it()
    {
        var path = _files.NewPath();
        var first = _files.Open(path);
        var second = _files.Open(path);
        var budget = new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month);

        await Task.WhenAll(first.SetBudgetAsync(budget, default).AsTask(), second.SetBudgetAsync(budget with { }, default).AsTask());

        Assert.Equal(budget, await second.GetBudgetAsync(budget.Key, default));
        Assert.Equal(budget, await first.GetBudgetAsync(budget.Key, default));
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
