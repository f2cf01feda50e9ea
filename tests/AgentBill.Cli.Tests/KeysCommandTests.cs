namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill keys create|list|revoke</c> on the store a server runs on.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task A_key_is_shown_once_listed_by_prefix_and_last_four_and_revoked_by_id()
    {
        var made = await _workspace.SqliteAsync("keys", "create", "python agent", "--scope", "admin", "--json");
        Assert.Equal(0, made.ExitCode);
        var secret = made.Json.GetProperty("key").GetString()!;
        var id = made.Json.GetProperty("id").GetString()!;
        Assert.Matches("^agb_[0-9a-f]{48}$", secret);

        var listed = await _workspace.SqliteAsync("keys", "list", "--json");
        var revoked = await _workspace.SqliteAsync("keys", "revoke", id);
        var after = await _workspace.SqliteAsync("keys", "list", "--json");

        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
        var key = Assert.Single(listed.Json.GetProperty("keys").EnumerateArray());
        Assert.Equal((secret[..8], secret[^4..], "admin"), (key.GetProperty("prefix").GetString(), key.GetProperty("last4").GetString(), key.GetProperty("scope").GetString()));
        Assert.Equal(0, revoked.ExitCode);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, Assert.Single(after.Json.GetProperty("keys").EnumerateArray()).GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_exits_4_and_a_bad_name_exits_2_making_nothing()
    {
        var unknown = await _workspace.SqliteAsync("keys", "revoke", "no-such-key");
        var bad = await _workspace.SqliteAsync("keys", "create", "bad\u0001name");
        var listed = await _workspace.SqliteAsync("keys", "list", "--json");

        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        Assert.Empty(listed.Json.GetProperty("keys").EnumerateArray());
    }

    public void Dispose() => _workspace.Dispose();
}
