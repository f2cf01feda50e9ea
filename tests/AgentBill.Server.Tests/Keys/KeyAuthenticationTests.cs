using System.Net;
using System.Net.Http.Json;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Server.Tests.Keys;

public sealed class KeyAuthenticationTests
{
    private static Task<LoopbackServer> StartWithProbesAsync() => LoopbackServer.StartAsync(map: static app =>
    {
        app.MapGet("/probe/metering", static () => "ok").RequireAuthorization(ApiKeyAuthentication.MeteringPolicy);
        app.MapGet("/probe/admin", static () => "ok").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
    });

    [Fact]
    public async Task A_metering_key_reaches_metering_endpoints_but_not_admin_ones()
    {
        await using var server = await StartWithProbesAsync();
        using var client = server.CreateClient(server.MeteringKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("probe/metering", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("probe/admin", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task An_admin_key_reaches_both()
    {
        await using var server = await StartWithProbesAsync();
        using var client = server.CreateClient(server.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("probe/metering", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("probe/admin", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("agb_0123456789abcdef0123456789abcdef0123456789abcdef")] // well formed, never issued
    [InlineData("agb_0123456789ABCDEF0123456789abcdef0123456789abcdef")] // upper case
    [InlineData("agb_0123")]
    [InlineData("sk-0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task A_missing_malformed_or_unknown_key_is_401_with_a_json_error(string? key)
    {
        await using var server = await StartWithProbesAsync();
        using var client = server.CreateClient(key);

        var response = await client.GetAsync("probe/metering", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(TestContext.Current.CancellationToken);
        Assert.Equal("unauthorized", body!["error"]);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_next_request()
    {
        await using var server = await StartWithProbesAsync();
        using var client = server.CreateClient(server.MeteringKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("probe/metering", TestContext.Current.CancellationToken)).StatusCode);

        var keys = server.Services.GetRequiredService<ApiKeys>();
        var record = await keys.AuthenticateAsync(server.MeteringKey, TestContext.Current.CancellationToken);
        Assert.True(await keys.RevokeAsync(record!.Id, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("probe/metering", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_key_is_stored_as_its_hash_and_shown_by_its_first_eight_and_last_four()
    {
        var store = new InMemoryApiKeyStore();
        var keys = new ApiKeys(store);

        var issued = await keys.CreateAsync("ci", ApiKeyScope.Metering, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(ApiKeyFormat.IsWellFormed(issued.Secret));
        var stored = Assert.Single(await store.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ApiKeyFormat.Hash(issued.Secret), stored.Hash);
        Assert.DoesNotContain(issued.Secret[4..], stored.Hash + stored.Id + stored.Display, StringComparison.Ordinal);
        Assert.Equal(issued.Secret[..8] + "…" + issued.Secret[^4..], stored.Display);
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var keys = new ApiKeys(new InMemoryApiKeyStore(), time);
        var issued = await keys.CreateAsync("short", ApiKeyScope.Admin, time.GetUtcNow().AddHours(1), TestContext.Current.CancellationToken);
        Assert.NotNull(await keys.AuthenticateAsync(issued.Secret, TestContext.Current.CancellationToken));

        time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await keys.AuthenticateAsync(issued.Secret, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\tname")]
    public async Task A_bad_key_name_is_refused_naming_the_argument_and_stores_nothing(string name)
    {
        var store = new InMemoryApiKeyStore();
        var keys = new ApiKeys(store);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await keys.CreateAsync(name, ApiKeyScope.Admin, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("name", error.ParamName);
        Assert.Empty(await store.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_public_bind_needs_to_be_asked_for()
    {
        var error = Assert.Throws<ArgumentException>(() => AgentBillServerApp.Create(static _ => { }, static options => options.Address = "0.0.0.0"));

        Assert.Contains("AllowPublicBind", error.Message, StringComparison.Ordinal);
    }
}
