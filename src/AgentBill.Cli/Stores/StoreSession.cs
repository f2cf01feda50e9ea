using AgentBill.Cli.Hosting;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentBill.Cli.Stores;

/// <summary>One command's open store: the client, the admin API, the store itself and its reports, disposed when the command ends.</summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreSession(LedgerStore store, ServiceProvider services)
    {
        Store = store;
        _services = services;
    }

    public LedgerStore Store { get; }

    public IServiceProvider Services => _services;

    public IAgentBill Client => _services.GetRequiredService<IAgentBill>();

    public IAgentBillAdmin Admin => _services.GetRequiredService<IAgentBillAdmin>();

    public IBudgetLedger Ledger => _services.GetRequiredService<IBudgetLedger>();

    /// <summary>The budget server's API keys, kept beside this store's ledger.</summary>
    public AgentBill.Server.Keys.ApiKeys Keys => _services.GetRequiredService<AgentBill.Server.Keys.ApiKeys>();

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    public PeriodCalendar Calendar => new(_services.GetRequiredService<IOptions<AgentBillOptions>>().Value.TimeZone);

    /// <summary>The cross-customer reads (the container's, else the store's own); a store without them cannot answer this command.</summary>
    public IBudgetLedgerReports Reports
    {
        get
        {
            try
            {
                return _services.GetService<IBudgetLedgerReports>() ?? Ledger as IBudgetLedgerReports
                    ?? throw new InvalidOperationException("IBudgetLedgerReports is not implemented.");
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ExitCodes.Failure, $"The {Store.Name} store cannot list across customers: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Registers the store and opens it; an unreachable store throws <see cref="AgentBillUnavailableException"/>.</summary>
    public static StoreSession Open(LedgerStore store, string value, CliHost host)
    {
        var services = new ServiceCollection();
        var builder = services.AddAgentBill();
        store.Register(builder, value);
        builder.AddAgentBillApiKeys();
        host.ConfigureServices?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        var session = new StoreSession(store, provider);
        try
        {
            _ = session.Ledger; // connects, so an unreachable store fails here in one line
            return session;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
