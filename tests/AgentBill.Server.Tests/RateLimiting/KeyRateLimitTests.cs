using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using AgentBill.Server.Tests.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Server.Tests.RateLimiting;

/// <summary>Per-key rate limits: 429 with Retry-After past the limit, nothing done; one count for every server on a Redis.</summary>
public sealed class KeyRateLimitTests : IClassFixture<RedisKeysFixture>
{
    private readonly RedisKeysFixture _redis;

    public KeyRateLimitTests(RedisKeysFixture redis) => _redis = redis;

    [Fact]
    public async Task Past_its_limit_a_key_is_answered_429_with_Retry_After_and_nothing_is_held_while_another_key_goes_on()
    {
        // An hour's window: the test never straddles two windows.
        await using var server = await LoopbackServer.StartAsync(configure: o => (o.KeyRateLimit, o.KeyRateLimitWindow) = (3, TimeSpan.FromHours(1)));
        using var metering = server.CreateClient(server.MeteringKey);
        using var admin = server.CreateClient(server.AdminKey);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await Preflight(metering));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(static a => a.StatusCode));
        var limited = answers[3];
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 3600);
        Assert.Equal("rate_limited", (string)(await limited.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["error"]!);
        Assert.Equal(3, (await server.Services.GetRequiredService<IAgentBillAdmin>().GetUsageAsync(BudgetScope.Customer("alice"), cancellationToken: TestContext.Current.CancellationToken)).Reserved);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("budget?customer_id=alice", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Two_servers_on_one_Redis_share_one_count_per_key()
    {
        var prefix = "rl" + Guid.NewGuid().ToString("N")[..8];
        void Options(AgentBillServerOptions o) => (o.KeyRateLimit, o.KeyRateLimitWindow) = (5, TimeSpan.FromHours(1));
        await using var first = await LoopbackServer.StartAsync(agentBill => agentBill.UseRedis(_redis.EndPoint, r => r.KeyPrefix = prefix), Options);
        await using var second = await LoopbackServer.StartAsync(agentBill => agentBill.UseRedis(_redis.EndPoint, r => r.KeyPrefix = prefix), Options);
        using var one = first.CreateClient(first.MeteringKey);
        using var two = second.CreateClient(first.MeteringKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await Preflight(i % 2 == 0 ? one : two)).StatusCode);
        }

        Assert.Equal(5, statuses.Count(static s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(static s => s == HttpStatusCode.TooManyRequests));
    }

    [Theory]
    [InlineData(-1, 60)]
    [InlineData(10, 0)]
    [InlineData(10, 90_000)]
    public void A_bad_limit_or_window_is_refused_naming_the_options(int limit, int windowSeconds)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => AgentBillServerApp.Create(static _ => { }, o => (o.KeyRateLimit, o.KeyRateLimitWindow) = (limit, TimeSpan.FromSeconds(windowSeconds))));

        Assert.Equal("options", ex.ParamName);
    }

    private static Task<HttpResponseMessage> Preflight(HttpClient client)
        => client.PostAsJsonAsync("preflight", new { agent_id = "researcher", customer_id = "alice", estimated_units = 1 }, TestContext.Current.CancellationToken);
}
