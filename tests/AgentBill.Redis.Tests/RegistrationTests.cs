using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary><c>services.AddAgentBill().UseRedis(...)</c>: which connection the store uses, who closes it, and which settings are refused.</summary>
public sealed class RegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task UseRedis_with_a_configuration_string_keeps_budgets_in_that_redis()
    {
        var prefix = "r" + Guid.NewGuid().ToString("N");
        await using (var provider = new ServiceCollection().AddAgentBill().UseRedis(redis.Server.EndPoint, o => o.KeyPrefix = prefix).Services.BuildServiceProvider())
        {
            Assert.IsType<RedisBudgetLedger>(provider.GetRequiredService<IBudgetLedger>());
            Assert.Same(provider.GetRequiredService<IBudgetLedger>(), provider.GetRequiredService<IBudgetLedgerReports>());
            await provider.GetRequiredService<IAgentBillAdmin>().SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 7, "acme");
        }

        await using var reader = new AgentBillClient(redis.CreateLedger(prefix));
        Assert.Equal(7, (await reader.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task UseRedis_without_a_string_uses_the_connection_registered_in_the_container_and_leaves_it_open()
    {
        var prefix = "r" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection().AddSingleton<IConnectionMultiplexer>(redis.Connection);
        await using (var provider = services.AddAgentBill().UseRedis(o => o.KeyPrefix = prefix).Services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IAgentBillAdmin>().SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await provider.GetRequiredService<IAgentBill>().RecordAsync("researcher", 9, "acme");
        }

        await using var reader = new AgentBillClient(redis.CreateLedger(prefix));
        Assert.Equal(9, (await reader.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.True(redis.Connection.IsConnected);
    }

    [Fact]
    public async Task The_connection_the_store_opened_is_closed_with_the_container()
    {
        var provider = new ServiceCollection().AddAgentBill().UseRedis(redis.Server.EndPoint).Services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<IBudgetLedger>();
        await ledger.GetBudgetAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), CancellationToken.None);

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await ledger.GetBudgetAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), CancellationToken.None));
    }

    [Fact]
    public void A_configuration_string_StackExchange_Redis_cannot_read_is_refused_at_registration_by_name()
    {
        var builder = new ServiceCollection().AddAgentBill();

        var ex = Assert.Throws<ArgumentException>(() => builder.UseRedis("localhost:6379,no-such-option=1"));

        Assert.Equal("configuration", ex.ParamName);
    }

    [Fact]
    public void A_refused_configuration_string_never_appears_in_the_message_since_it_may_hold_a_password()
    {
        var builder = new ServiceCollection().AddAgentBill();

        var ex = Assert.Throws<ArgumentException>(() => builder.UseRedis("localhost:6379,password=s3cr,TAILOFTHEPASSWORD=1"));

        Assert.DoesNotContain("TAILOFTHEPASSWORD", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cr", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_prefix_with_braces_is_refused_when_the_store_is_resolved()
    {
        using var provider = new ServiceCollection().AddAgentBill().UseRedis(redis.Server.EndPoint, o => o.KeyPrefix = "app{1}").Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IBudgetLedger>());

        Assert.Equal(["KeyPrefix must not contain braces, control characters or unpaired surrogates: the hash tag of every key is its customer's."], ex.Failures);
    }

    /// <summary>Prefixes that would break a hash tag or be stored ambiguously (attribute strings cannot carry a lone surrogate, hence data here).</summary>
    public static TheoryData<string> BadPrefixes => ["", "a{b", "a}b", "a\nb", "a\uD800", new string('p', 65)];

    [Theory]
    [MemberData(nameof(BadPrefixes), DisableDiscoveryEnumeration = true)]
    public void A_store_created_directly_refuses_a_bad_key_prefix_naming_the_options(string prefix)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { KeyPrefix = prefix }));

        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void UseRedis_with_neither_a_string_nor_a_registered_connection_says_what_is_missing()
    {
        using var provider = new ServiceCollection().AddAgentBill().UseRedis().Services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBudgetLedger>());

        Assert.Contains("IConnectionMultiplexer", ex.Message, StringComparison.Ordinal);
    }
}
