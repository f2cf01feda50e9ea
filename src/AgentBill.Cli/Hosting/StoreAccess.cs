using AgentBill.Cli.Stores;

namespace AgentBill.Cli.Hosting;

/// <summary>
/// The store a command chose, opened on first use: a command validates its arguments first, so one that fails
/// validation never opens (or creates) a store.
/// </summary>
internal sealed class StoreAccess : IAsyncDisposable
{
    private readonly LedgerStore _store;
    private readonly string _value;
    private readonly CliHost _host;
    private StoreSession? _session;

    public StoreAccess(LedgerStore store, string value, CliHost host)
    {
        _store = store;
        _value = value;
        _host = host;
    }

    public StoreSession Session => _session ??= StoreSession.Open(_store, _value, _host);

    /// <summary>Registers the chosen store on another host's AgentBill (<c>agentbill serve</c>'s own server).</summary>
    public void Register(IAgentBillBuilder builder) => _store.Register(builder, _value);

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
