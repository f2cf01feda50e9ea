using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Server.Tests.Keys;

/// <summary><c>/admin/keys</c>: made, listed and revoked by an admin key only; a revoked key is refused at its next request.</summary>
public sealed class KeyAdminEndpointTests
{
    [Fact]
    public async Task An_admin_makes_a_key_that_works_at_once_and_revoking_it_refuses_its_next_request()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var admin = server.CreateClient(server.AdminKey);

        var made = await admin.PostAsJsonAsync("admin/keys", new { name = "python agent", scope = "metering" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var body = (await made.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        var secret = (string)body["key"]!;
        var id = (string)body["id"]!;
        using var agent = server.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("budget?customer_id=alice", TestContext.Current.CancellationToken)).StatusCode);

        var revoked = await admin.DeleteAsync($"admin/keys/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync("budget?customer_id=alice", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("admin/keys/no-such-key", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task The_list_shows_prefix_and_last_four_never_a_secret_or_hash()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var admin = server.CreateClient(server.AdminKey);

        var text = await admin.GetStringAsync("admin/keys", TestContext.Current.CancellationToken);

        var keys = JsonNode.Parse(text)!["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.DoesNotContain(server.AdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyFormat.Hash(server.AdminKey), text, StringComparison.Ordinal);
        var mine = keys.Single(key => (string)key!["scope"]! == "admin")!;
        Assert.Equal((server.AdminKey[..8], server.AdminKey[^4..]), ((string)mine["prefix"]!, (string)mine["last4"]!));
    }

    [Fact]
    public async Task A_metering_key_or_no_key_cannot_reach_key_admin_and_nothing_is_made()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var metering = server.CreateClient(server.MeteringKey);
        using var anonymous = server.CreateClient(null);

        Assert.Equal(HttpStatusCode.Forbidden, (await metering.PostAsJsonAsync("admin/keys", new { name = "mine", scope = "admin" }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await metering.GetAsync("admin/keys", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/keys", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(2, (await server.Services.GetRequiredService<ApiKeys>().ListAsync(TestContext.Current.CancellationToken)).Count);
    }

    [Theory]
    [InlineData("""{"name":"x","scope":"root"}""", "scope")]
    [InlineData("""{"scope":"admin"}""", "name")]
    [InlineData("""{"name":"bad\u0001name"}""", "name")]
    [InlineData("""{"name":"x","expires_at":"tomorrow"}""", "expires_at")]
    [InlineData("""{"name":"x","expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    public async Task A_bad_request_is_422_naming_the_field_and_makes_no_key(string json, string field)
    {
        await using var server = await LoopbackServer.StartAsync();
        using var admin = server.CreateClient(server.AdminKey);

        var response = await admin.PostAsync("admin/keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal(("validation_error", field), ((string)body["error"]!, (string)body["field"]!));
        Assert.Equal(2, (await server.Services.GetRequiredService<ApiKeys>().ListAsync(TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task A_server_on_a_sqlite_ledger_keeps_its_keys_in_that_file_for_every_server_on_it()
    {
        var directory = Directory.CreateTempSubdirectory("agentbill-server-keys-").FullName;
        var path = Path.Combine(directory, "ledger.db");
        try
        {
            await using (var first = await LoopbackServer.StartAsync(agentBill => agentBill.UseSqlite(path)))
            {
                Assert.IsType<SqliteApiKeyStore>(first.Services.GetRequiredService<IApiKeyStore>());
                await using var second = await LoopbackServer.StartAsync(agentBill => agentBill.UseSqlite(path));
                using var client = second.CreateClient(first.MeteringKey);

                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("budget?customer_id=alice", TestContext.Current.CancellationToken)).StatusCode);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
