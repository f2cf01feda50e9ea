using AgentBill.Ledger;
using AgentBill.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AgentBill;

/// <summary>Puts AgentBill's budgets in PostgreSQL: <c>services.AddAgentBill().UsePostgres(dataSource)</c>.</summary>
public static class PostgresAgentBillBuilderExtensions
{
    /// <summary>
    /// Keeps budgets in the database a data source connects to. Its tables must have been made by
    /// <see cref="PostgresBudgetLedger.MigrateAsync"/> or <c>agentbill ledger init --postgres</c>.
    /// </summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="dataSource">The data source; the caller owns and disposes it.</param>
    /// <param name="configure">Sets the other options.</param>
    /// <returns>The builder.</returns>
    public static IAgentBillBuilder UsePostgres(this IAgentBillBuilder builder, NpgsqlDataSource dataSource, Action<PostgresLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgres(_ => dataSource, configure);
    }

    /// <summary>
    /// Keeps budgets in the database a connection string names, through a data source the container makes and
    /// disposes. Its tables must have been made by <see cref="PostgresBudgetLedger.MigrateAsync"/> or
    /// <c>agentbill ledger init --postgres</c>.
    /// </summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Database=billing;Username=agentbill</c>.</param>
    /// <param name="configure">Sets the other options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a connection string Npgsql reads.</exception>
    public static IAgentBillBuilder UsePostgres(this IAgentBillBuilder builder, string connectionString, Action<PostgresLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The connection string is not one Npgsql reads: {ex.Message}", nameof(connectionString), ex);
        }

        builder.Services.TryAddSingleton(_ => new AgentBillDataSource(NpgsqlDataSource.Create(connectionString)));
        return builder.UsePostgres(static provider => provider.GetRequiredService<AgentBillDataSource>().DataSource, configure);
    }

    /// <summary>
    /// Keeps budgets in the database <see cref="PostgresLedgerOptions.ConnectionString"/> names (bound from configuration,
    /// say), through a data source the container makes and disposes. The options are validated when the store is first
    /// resolved, and at start-up in a host.
    /// </summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configure">Sets the options, the connection string among them.</param>
    /// <returns>The builder.</returns>
    public static IAgentBillBuilder UsePostgres(this IAgentBillBuilder builder, Action<PostgresLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgresLedgerOptions>().Validate(
            static options => !string.IsNullOrWhiteSpace(options.ConnectionString),
            "PostgresLedgerOptions.ConnectionString must name the ledger's database: UsePostgres(configure) makes its data source from it.");
        builder.Services.TryAddSingleton(static provider => new AgentBillDataSource(NpgsqlDataSource.Create(
            provider.GetRequiredService<IOptions<PostgresLedgerOptions>>().Value.ConnectionString!)));
        return builder.UsePostgres(static provider => provider.GetRequiredService<AgentBillDataSource>().DataSource, configure);
    }

    private static IAgentBillBuilder UsePostgres(this IAgentBillBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgresLedgerOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<PostgresLedgerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresLedgerOptions>, PostgresLedgerOptionsValidator>());
        services.Replace(ServiceDescriptor.Singleton<IBudgetLedger>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<PostgresLedgerOptions>>().Value;
            settings.TimeProvider ??= provider.GetService<TimeProvider>();
            return new PostgresBudgetLedger(dataSource(provider), settings);
        }));
        return builder;
    }

    /// <summary>The data source <c>UsePostgres(connectionString)</c> made, which the container disposes with itself.</summary>
    private sealed class AgentBillDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();

        public void Dispose() => DataSource.Dispose();
    }
}
