using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentBill.Postgres.Tests;

/// <summary><c>services.AddAgentBill().UsePostgres(...)</c>: the store keeps budgets in the database, and a second container sees the first one's usage.</summary>
public sealed class RegistrationTests(PostgresFixture postgres) : IAsyncDisposable
{
    private readonly TestDatabases _databases = new(postgres);

    [Fact]
    public async Task UsePostgres_keeps_budgets_and_usage_in_the_database_across_containers()
    {
        var connectionString = (await _databases.CreateMigratedAsync()).ConnectionString;
        await using (var provider = new ServiceCollection().AddAgentBill().UsePostgres(connectionString).Services.BuildServiceProvider())
        {
            Assert.IsType<PostgresBudgetLedger>(provider.GetRequiredService<IBudgetLedger>());
            Assert.Same(provider.GetRequiredService<IBudgetLedger>(), provider.GetRequiredService<IBudgetLedgerReports>());
            await provider.GetRequiredService<IAgentBillAdmin>().SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 7, "acme");
        }

        await using (var provider = new ServiceCollection().AddAgentBill().UsePostgres(o => o.ConnectionString = connectionString).Services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 5, "acme");
            var usage = await provider.GetRequiredService<IAgentBillAdmin>().GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month);
            Assert.Equal((100L, 12L), (usage.Limit, usage.Used));
        }
    }

    [Fact]
    public async Task UsePostgres_from_options_without_a_connection_string_fails_validation_naming_it()
    {
        await using var provider = new ServiceCollection().AddAgentBill().UsePostgres(o => o.UsageRetention = TimeSpan.FromDays(30)).Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IBudgetLedger>());

        Assert.Contains("ConnectionString", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_setting()
    {
        var refused = Assert.Throws<ArgumentException>(() => new PostgresBudgetLedger(Npgsql.NpgsqlDataSource.Create("Host=localhost"), new PostgresLedgerOptions { UsageRetention = TimeSpan.Zero }));

        Assert.Equal("options", refused.ParamName);
        Assert.Contains("UsageRetention", refused.Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
