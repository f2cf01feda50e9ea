using AgentBill.Cli.Hosting;
using AgentBill.Ledger;
using AgentBill.Postgres;
using AgentBill.Redis;
using AgentBill.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentBill.Cli.Stores;

/// <summary>The stores the tool opens. Adding one is one entry here and a project reference.</summary>
internal static class LedgerStores
{
    public static LedgerStore Redis { get; } = new(
        "redis",
        "--redis",
        "AGENTBILL_REDIS",
        "configuration",
        "The Redis store: a StackExchange.Redis configuration string such as localhost:6379 (env AGENTBILL_REDIS).",
        RegisterRedis,
        (ledger, cancellationToken) => As<RedisBudgetLedger>(ledger).InitializeAsync(cancellationToken),
        (ledger, cancellationToken) => As<RedisBudgetLedger>(ledger).AcknowledgeDataLossAsync(cancellationToken));

    public static LedgerStore Sqlite { get; } = new(
        "sqlite",
        "--sqlite",
        "AGENTBILL_SQLITE",
        "file",
        "The SQLite store: the ledger file, made on first use; its folder must exist (env AGENTBILL_SQLITE).",
        static (builder, path) => builder.UseSqlite(path),
        // The file and its schema are made by the first operation: a read makes them without changing any budget.
        static async (ledger, cancellationToken) => await ledger.GetBudgetAsync(new BudgetKey(BudgetScope.Global, UsageMeter.Units), cancellationToken).ConfigureAwait(false),
        (ledger, cancellationToken) => As<SqliteBudgetLedger>(ledger).AcknowledgeDataLossAsync(cancellationToken));

    public static LedgerStore Postgres { get; } = new(
        "postgres",
        "--postgres",
        "AGENTBILL_POSTGRES",
        "connection-string",
        "The PostgreSQL store: an Npgsql connection string such as \"Host=db;Database=billing;Username=agentbill\"; its tables are made by `agentbill ledger init` (env AGENTBILL_POSTGRES).",
        static (builder, connectionString) => builder.UsePostgres(connectionString),
        static async (ledger, cancellationToken) => await PostgresBudgetLedger.MigrateAsync(As<PostgresBudgetLedger>(ledger).DataSource, cancellationToken).ConfigureAwait(false),
        // PostgreSQL keeps its own durability: a ledger whose tables went away is restored from the database's backups.
        static (_, _) => throw new CliException(ExitCodes.BadArguments, "The PostgreSQL store has no loss to acknowledge: restore its tables from the database's backup, or make an empty ledger with agentbill ledger init --postgres.") { ShowUsage = false });

    /// <summary>Every store, in the order their options are listed.</summary>
    public static IReadOnlyList<LedgerStore> All { get; } = [Redis, Sqlite, Postgres];

    private static void RegisterRedis(IAgentBillBuilder builder, string configuration)
    {
        var options = ParseRedis(configuration);
        // The tool's own connection fails at once when Redis cannot be reached (a service keeps retrying instead),
        // so an operator gets one line, not a wait for every command's timeout.
        options.AbortOnConnectFail = true;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => Connect(options));
        builder.UseRedis(redis => redis.CreateLedgerOnFirstUse = false);
    }

    private static ConfigurationOptions ParseRedis(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"--redis: '{configuration}' is not a Redis configuration string: {ex.Message}", nameof(configuration), ex);
        }
    }

    private static ConnectionMultiplexer Connect(ConfigurationOptions options)
    {
        try
        {
            return ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException ex)
        {
            throw new AgentBillUnavailableException($"Redis at {string.Join(", ", options.EndPoints)} cannot be reached: {FirstLine(ex.Message)}", ex);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>The store itself, looking through a resilience layer a registration may put in front of it.</summary>
    private static T As<T>(IBudgetLedger ledger)
        where T : class
    {
        var store = ledger is ResilientBudgetLedger resilient ? resilient.InnerLedger : ledger;
        return store as T ?? throw new InvalidOperationException($"The store is a {store.GetType().Name}, not a {typeof(T).Name}.");
    }
}
