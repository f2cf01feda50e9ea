using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentBill.Server.Tests.Dashboard;

/// <summary>The dashboard's data answers admin keys only; the page itself holds no data.</summary>
public sealed class DashboardEndpointTests
{
    [Fact]
    public async Task An_admin_key_reads_this_periods_usage_holds_near_limit_budgets_and_refusals()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var admin = server.CreateClient(server.AdminKey);
        using var metering = server.CreateClient(server.MeteringKey);
        var ct = TestContext.Current.CancellationToken;
        await admin.PutAsJsonAsync("budget", new { customer_id = "alice", limit_units = 10 }, ct);
        await metering.PostAsJsonAsync("events", new { customer_id = "alice", event_type = "researcher", units = 7 }, ct);
        await metering.PostAsJsonAsync("preflight", new { agent_id = "researcher", customer_id = "alice", estimated_units = 2 }, ct);
        await metering.PostAsJsonAsync("preflight", new { agent_id = "researcher", customer_id = "alice", estimated_units = 5 }, ct);

        var data = (await admin.GetFromJsonAsync<JsonObject>("admin/dashboard", ct))!;

        var usage = data["usage_by_customer"]!.AsArray().Single(r => (string)r!["customer_id"]! == "alice" && (string)r["unit"]! == "unit")!;
        Assert.Equal((7L, 2L), ((long)usage["used"]!, (long)usage["reserved"]!));
        Assert.Contains(data["usage_by_agent"]!.AsArray(), r => (string)r!["agent_id"]! == "researcher");
        Assert.Equal(14, data["daily"]!.AsArray().Count);
        Assert.Equal(7L, (long)data["daily"]!.AsArray()[^1]!["used"]!["unit"]!);
        Assert.Equal(90.0, (double)data["near_limit"]!.AsArray().Single()!["percent"]!);
        Assert.Equal(2L, (long)data["open_holds"]!.AsArray().Single()!["units"]!);
        Assert.Equal("budget_exhausted", (string)data["refusals"]!.AsArray().Single()!["reason"]!);
    }

    [Fact]
    public async Task Without_an_admin_key_the_data_is_refused_and_the_page_carries_none()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var metering = server.CreateClient(server.MeteringKey);
        using var anonymous = server.CreateClient(null);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/dashboard", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await metering.GetAsync("admin/dashboard", ct)).StatusCode);
        var page = await anonymous.GetAsync("dashboard", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("dashboard/secrets.json", ct)).StatusCode);
    }
}
