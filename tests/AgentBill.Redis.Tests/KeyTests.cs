using System.Text;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>Ids that look alike, or carry Redis's own syntax, never share or reach another customer's keys.</summary>
public sealed class KeyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly string[] Customers =
    [
        "plain", "{plain}", "}plain{", "pl:ain", "plain*", "pl ain", "plaín", "客户", new string('x', 128), "{", "}", "*", ":",
    ];

    [Fact]
    public async Task Every_key_belongs_to_exactly_one_customer_and_customers_never_collide()
    {
        var prefix = "k" + Guid.NewGuid().ToString("N");
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix));
        foreach (var customer in Customers)
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Customer(customer), UsageMeter.Units, 100, BudgetPeriod.Month));
            await bill.RecordAsync("agent:{x}", Customers.ToList().IndexOf(customer) + 1, customer);
            await bill.PreflightAsync("agent:{x}", 5, customer);
        }

        var keys = redis.Connection.GetServer(redis.Server.EndPoint).Keys(pattern: prefix + ":*", pageSize: 100).Select(k => (string)k!).ToList();
        var owners = keys.Select(OwnerOf).ToList();

        // Each customer's keys carry its own tag and decode back to it; no key is shared or left without an owner.
        Assert.Equal(Customers.Order(StringComparer.Ordinal), owners.Distinct().Order(StringComparer.Ordinal));
        for (var index = 0; index < Customers.Length; index++)
        {
            var usage = await bill.GetUsageAsync(BudgetScope.Customer(Customers[index]));
            Assert.Equal((index + 1L, 5L), (usage.Used, usage.Reserved));
        }
    }

    [Fact]
    public void A_prefix_with_braces_is_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { KeyPrefix = "a{b}" }));

        Assert.Equal("prefix", ex.ParamName);
    }

    /// <summary>The customer a key belongs to: its hash tag is <c>{c:BASE64URL(id)}</c>.</summary>
    private static string OwnerOf(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = key.IndexOf('}', open);
        var tag = key[(open + 1)..close];
        Assert.StartsWith("c:", tag, StringComparison.Ordinal);
        var base64 = tag[2..].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
    }
}
