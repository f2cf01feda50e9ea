using System.Net.Http.Json;
using Microsoft.Playwright;

namespace AgentBill.Server.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium (Debian's, by its path), driven by Playwright.</summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("AGENTBILL_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is not at {chromium}: install Debian's 'chromium' package (test.sh does) or set AGENTBILL_CHROMIUM.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    [Fact]
    public async Task With_an_admin_key_it_shows_a_customers_usage_after_a_charge()
    {
        await using var server = await LoopbackServer.StartAsync();
        await ChargeAsync(server, "alice", 7);
        var page = await NewPageAsync(server);

        await SignInAsync(page, server.AdminKey);

        var row = page.Locator("#usage tbody tr", new() { HasText = "alice" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("7");
        await Assertions.Expect(page.Locator("#agents tbody")).ToContainTextAsync("researcher");
        await Assertions.Expect(page.Locator("#chart svg rect")).ToHaveCountAsync(14);
    }

    [Fact]
    public async Task Without_a_key_or_with_a_metering_key_it_refuses_and_shows_no_data()
    {
        await using var server = await LoopbackServer.StartAsync();
        await ChargeAsync(server, "alice", 7);
        var page = await NewPageAsync(server);

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Enter an admin key");
        await Assertions.Expect(page.Locator("#data")).ToBeHiddenAsync();

        await SignInAsync(page, server.MeteringKey);

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("needs an admin key");
        await Assertions.Expect(page.Locator("#data")).ToBeHiddenAsync();
        Assert.DoesNotContain("alice", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_id_that_looks_like_markup_is_shown_as_text_and_never_runs()
    {
        const string Hostile = "<img src=x onerror=\"window.__owned=1\">";
        await using var server = await LoopbackServer.StartAsync();
        await ChargeAsync(server, Hostile, 3);
        var page = await NewPageAsync(server);

        await SignInAsync(page, server.AdminKey);

        await Assertions.Expect(page.Locator("#usage tbody")).ToContainTextAsync(Hostile);
        Assert.Equal(0, await page.Locator("#usage img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__owned === undefined"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private static async Task ChargeAsync(LoopbackServer server, string customerId, long units)
    {
        using var metering = server.CreateClient(server.MeteringKey);
        var recorded = await metering.PostAsJsonAsync("events", new { customer_id = customerId, event_type = "researcher", units }, TestContext.Current.CancellationToken);
        recorded.EnsureSuccessStatusCode();
    }

    private async Task<IPage> NewPageAsync(LoopbackServer server)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("dashboard");
        return page;
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.FillAsync("#key", key);
        await page.ClickAsync("#load");
    }
}
