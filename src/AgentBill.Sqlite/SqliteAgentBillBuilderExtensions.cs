using AgentBill.Ledger;
using AgentBill.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentBill;

/// <summary>Puts AgentBill's budgets in a SQLite file: <c>services.AddAgentBill().UseSqlite("agentbill.db")</c>.</summary>
public static class SqliteAgentBillBuilderExtensions
{
    /// <summary>Keeps budgets in a SQLite file, made on first use; every process that names the same file shares one ledger.</summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="path">The file, such as <c>agentbill.db</c>; its directory must exist.</param>
    /// <param name="configure">Sets the other options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or not a file path.</exception>
    public static IAgentBillBuilder UseSqlite(this IAgentBillBuilder builder, string path, Action<SqliteLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SqliteLedgerOptionsValidator.ThrowIfInvalid(new SqliteLedgerOptions { Path = path }, nameof(path));
        return builder.UseSqlite(options =>
        {
            options.Path = path;
            configure?.Invoke(options);
        });
    }

    /// <summary>Keeps budgets in the SQLite file <see cref="SqliteLedgerOptions.Path"/> names. The options are validated when the store is first resolved, and at start-up in a host.</summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IAgentBillBuilder UseSqlite(this IAgentBillBuilder builder, Action<SqliteLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteLedgerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteLedgerOptions>, SqliteLedgerOptionsValidator>());
        services.Replace(ServiceDescriptor.Singleton<IBudgetLedger>(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<SqliteLedgerOptions>>().Value;
            options.TimeProvider ??= provider.GetService<TimeProvider>();
            return new SqliteBudgetLedger(options);
        }));
        return builder;
    }
}
