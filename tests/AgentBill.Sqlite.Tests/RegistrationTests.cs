using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Sqlite.Tests;

/// <summary><c>services.AddAgentBill().UseSqlite(...)</c>: the store keeps budgets in the file, and a second run sees the first run's usage.</summary>
public sealed class RegistrationTests : IDisposable
{
    private readonly TempLedgerFiles _files = new();

    [Fact]
    public async Task UseSqlite_keeps_budgets_and_usage_in_the_file_across_runs()
    {
        var path = _files.NewPath();
        await using (var provider = new ServiceCollection().AddAgentBill().UseSqlite(path).Services.BuildServiceProvider())
        {
            Assert.IsType<SqliteBudgetLedger>(provider.GetRequiredService<IBudgetLedger>());
            Assert.Same(provider.GetRequiredService<IBudgetLedger>(), provider.GetRequiredService<IBudgetLedgerReports>());
            await provider.GetRequiredService<IAgentBillAdmin>().SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 7, "acme");
        }

        await using (var provider = new ServiceCollection().AddAgentBill().UseSqlite(path, o => o.Synchronous = SqliteSynchronous.Normal).Services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 5, "acme");
            var usage = await provider.GetRequiredService<IAgentBillAdmin>().GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month);
            Assert.Equal((100L, 12L), (usage.Limit, usage.Used));
        }
    }

    [Fact]
    public void UseSqlite_refuses_an_empty_path_or_an_in_memory_database()
    {
        var builder = new ServiceCollection().AddAgentBill();
        Assert.Throws<ArgumentException>(() => builder.UseSqlite(" "));
        Assert.Throws<ArgumentException>(() => builder.UseSqlite(":memory:"));
    }

    public void Dispose() => _files.Dispose();
}
