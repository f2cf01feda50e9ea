using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>The test server itself: the store's tests rely on its databases and on its crash and restart.</summary>
public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_new_database_answers_a_query()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand("SELECT 1");

        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Each_new_database_is_a_different_one()
    {
        var first = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()).Database;
        var second = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()).Database;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_committed_row_outlives_a_crash_and_the_server_is_down_in_between()
    {
        // A server of its own: killing the shared one would fail every other test running meanwhile.
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync();
        await using (var source = NpgsqlDataSource.Create(connectionString))
        {
            await using var create = source.CreateCommand("CREATE TABLE kept (id int PRIMARY KEY, note text NOT NULL)");
            await create.ExecuteNonQueryAsync();
            await using var insert = source.CreateCommand("INSERT INTO kept VALUES (1, 'committed before the crash')");
            await insert.ExecuteNonQueryAsync();

            await server.KillAsync();

            await using var query = source.CreateCommand("SELECT note FROM kept WHERE id = 1");
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => query.ExecuteScalarAsync());
        }

        await server.StartAgainAsync();

        // A new pool: the connections of the old one died with the server.
        await using (var source = NpgsqlDataSource.Create(connectionString))
        {
            await using var query = source.CreateCommand("SELECT note FROM kept WHERE id = 1");
            Assert.Equal("committed before the crash", await query.ExecuteScalarAsync());
        }
    }
}
