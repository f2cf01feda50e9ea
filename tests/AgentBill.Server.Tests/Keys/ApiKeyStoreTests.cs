using AgentBill.Redis.Tests;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AgentBill.Server.Tests.Keys;

/// <summary>What every key store keeps: hashes only, shown once, listed in order, revoked once and at once.</summary>
public abstract class ApiKeyStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A fresh, empty store; <paramref name="shared"/> true gives a second store over the same data.</summary>
    protected abstract ValueTask<IApiKeyStore> CreateStoreAsync(bool shared = false);

    [Fact]
    public async Task A_made_key_authenticates_and_the_store_keeps_its_hash_never_its_secret()
    {
        var store = await CreateStoreAsync();
        var keys = new ApiKeys(store, _time);

        var issued = await keys.CreateAsync("support bot", ApiKeyScope.Metering);

        Assert.Equal(issued.Record, await keys.AuthenticateAsync(issued.Secret));
        var listed = Assert.Single(await store.ListAsync());
        Assert.Equal(("support bot", ApiKeyScope.Metering, issued.Secret[..8], issued.Secret[^4..]), (listed.Name, listed.Scope, listed.FirstEight, listed.LastFour));
        Assert.Equal(ApiKeyFormat.Hash(issued.Secret), listed.Hash);
        Assert.DoesNotContain(issued.Secret, listed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_the_next_lookup_of_another_store_on_the_same_data_and_keeps_its_first_revocation_time()
    {
        var store = await CreateStoreAsync();
        var other = await CreateStoreAsync(shared: true);
        var keys = new ApiKeys(store, _time);
        var issued = await keys.CreateAsync("agent", ApiKeyScope.Admin);
        var first = _time.GetUtcNow();
        Assert.NotNull(await new ApiKeys(other, _time).AuthenticateAsync(issued.Secret));

        Assert.True(await keys.RevokeAsync(issued.Record.Id));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await other.RevokeAsync(issued.Record.Id, _time.GetUtcNow()));

        Assert.Null(await new ApiKeys(other, _time).AuthenticateAsync(issued.Secret));
        Assert.Equal(first, Assert.Single(await other.ListAsync()).RevokedAt);
    }

    [Fact]
    public async Task Revoking_an_unknown_id_is_false_and_adding_a_stored_hash_again_is_an_error_that_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var issued = await new ApiKeys(store, _time).CreateAsync("agent", ApiKeyScope.Metering);

        Assert.False(await store.RevokeAsync("no-such-key", _time.GetUtcNow()));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AddAsync(issued.Record with { Name = "copy" }));
        Assert.Equal("agent", Assert.Single(await store.ListAsync()).Name);
    }

    [Fact]
    public async Task Keys_are_listed_oldest_first()
    {
        var store = await CreateStoreAsync();
        var keys = new ApiKeys(store, _time);
        foreach (var name in new[] { "first", "second", "third" })
        {
            await keys.CreateAsync(name, ApiKeyScope.Metering);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["first", "second", "third"], (await store.ListAsync()).Select(static key => key.Name));
    }
}

/// <summary>The key store of the in-memory ledger.</summary>
public sealed class InMemoryApiKeyStoreTests : ApiKeyStoreTests
{
    private InMemoryApiKeyStore? _store;

    protected override ValueTask<IApiKeyStore> CreateStoreAsync(bool shared = false)
        => ValueTask.FromResult<IApiKeyStore>(shared ? _store! : _store = new InMemoryApiKeyStore());
}

/// <summary>The key store in the SQLite ledger's file.</summary>
public sealed class SqliteApiKeyStoreTests : ApiKeyStoreTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentbill-keys-").FullName;

    protected override ValueTask<IApiKeyStore> CreateStoreAsync(bool shared = false)
        => ValueTask.FromResult<IApiKeyStore>(new SqliteApiKeyStore(Path.Combine(_directory, "ledger.db")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The key store in the Redis ledger's server, under the ledger's key prefix.</summary>
public sealed class RedisApiKeyStoreTests : ApiKeyStoreTests, IClassFixture<RedisKeysFixture>
{
    private readonly RedisKeysFixture _redis;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];

    public RedisApiKeyStoreTests(RedisKeysFixture redis) => _redis = redis;

    protected override ValueTask<IApiKeyStore> CreateStoreAsync(bool shared = false)
        => ValueTask.FromResult<IApiKeyStore>(new RedisApiKeyStore(_redis.Connection, _prefix));
}

/// <summary>One test-owned redis-server for a test class.</summary>
public sealed class RedisKeysFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public string EndPoint => _server!.EndPoint;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(_server.EndPoint);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _server!.DisposeAsync();
    }
}
