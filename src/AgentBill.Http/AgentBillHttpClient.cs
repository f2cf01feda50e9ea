using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http;

/// <summary>
/// AgentBill for code without dependency injection whose budgets live on an AgentBill server: an
/// <see cref="AgentBillClient"/> over an <see cref="HttpBudgetLedger"/>, with the same HTTP client and resilience
/// as <c>UseServer</c>. Rules and ceilings run here; holds, usage and budgets on the server, by the server's clock.
/// </summary>
public sealed class AgentBillHttpClient : IAgentBill, IAgentBillAdmin, IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _http;
    private readonly AgentBillClient _client;

    /// <summary>Creates a client of the server at <paramref name="serverUri"/>.</summary>
    /// <param name="serverUri">The server's absolute http or https address.</param>
    /// <param name="apiKey">An API key of the server: metering to gate and record, admin to set budgets and read reports.</param>
    /// <param name="options">The client's settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The client's clock (ceilings, retries), or <see langword="null"/> for the system's; the server's decides holds and periods.</param>
    /// <param name="configureHttp">Changes the HTTP client (handlers, resilience), after AgentBill's own settings.</param>
    /// <exception cref="ArgumentException">The address is not absolute http(s), or the key is not an AgentBill key.</exception>
    public AgentBillHttpClient(Uri serverUri, string apiKey, AgentBillOptions? options = null, TimeProvider? timeProvider = null, Action<IHttpClientBuilder>? configureHttp = null)
    {
        var services = new ServiceCollection();
        var http = ServerHttpClient.Add(services, serverUri, apiKey);
        configureHttp?.Invoke(http);
        _http = services.BuildServiceProvider();
        Ledger = new HttpBudgetLedger(_http.GetRequiredService<IHttpClientFactory>().CreateClient(ServerHttpClient.Name));
        _client = new AgentBillClient(Ledger, options, timeProvider);
    }

    /// <summary>Gets the ledger on the server, for its reports (<see cref="IBudgetLedgerReports"/>).</summary>
    public HttpBudgetLedger Ledger { get; }

    /// <inheritdoc/>
    public ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default) => _client.PreflightAsync(request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default) => _client.ReserveAsync(request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default) => _client.RecordAsync(request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default)
        => _client.ReleaseAsync(reservationId, customerId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
        => _client.TopUpAsync(reservationId, units, customerId, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
        => _client.ExtendAsync(reservationId, customerId, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default) => _client.SetBudgetAsync(budget, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _client.GetBudgetAsync(scope, meter, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _client.RemoveBudgetAsync(scope, meter, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
        => _client.GetUsageAsync(scope, meter, at, period, cancellationToken);

    /// <inheritdoc/>
    public ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _client.ResetUsageAsync(scope, meter, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
        => _client.GetOpenHoldsAsync(customerId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
        => _client.GetOpenHoldsPageAsync(customerId, cursor, limit, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        await _http.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }
}
