using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using AgentBill.Ledger;
using AgentBill.Ledger.Wire;
using Polly;

namespace AgentBill.Http;

/// <summary>
/// An <see cref="IBudgetLedger"/> whose store is an AgentBill server: each command is one POST to its
/// <c>/ledger/…</c> endpoints, which run it on the server's store and clock. The rules (ceilings, defaults, alerts,
/// ambient context) stay in the <see cref="AgentBillClient"/> that runs over it.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> carries the server's address as its <see cref="HttpClient.BaseAddress"/> and the API
/// key as its bearer authorization; <c>UseServer</c> and <see cref="AgentBillHttpClient"/> make one. A lost answer is
/// <see cref="AgentBillUnavailableException"/>; 401 and 403 are <see cref="UnauthorizedAccessException"/>.
/// </remarks>
public sealed class HttpBudgetLedger : IBudgetLedger, IBudgetLedgerReports
{
    private static readonly LedgerJson Json = LedgerJson.Default;
    private readonly HttpClient _http;

    /// <summary>Creates a ledger over <paramref name="httpClient"/>, whose base address is the server's.</summary>
    /// <param name="httpClient">The client to the server, with its base address and bearer key set.</param>
    /// <exception cref="ArgumentException">The client has no absolute base address.</exception>
    public HttpBudgetLedger(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is not { IsAbsoluteUri: true })
        {
            throw new ArgumentException("The HttpClient needs the server's absolute address as its BaseAddress.", nameof(httpClient));
        }

        _http = httpClient;
    }

    /// <inheritdoc/>
    public async ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await PostAsync(LedgerRoutes.Reserve, command, Json.ReserveCommand, Json.ReserveOutcome, replaySafe: false, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException)
        {
            // The server may have made the hold whose answer was lost: the caller sees a failed call, so the hold is
            // given back now (the id is ours, and a release is safe to send again) rather than kept until its TTL.
            await ReleaseLostHoldAsync(command).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.TopUp, command, Json.TopUpCommand, Json.ReserveOutcome, replaySafe: false, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
        => (await PostAsync(LedgerRoutes.Extend, command, Json.ExtendCommand, Json.WireFlag, replaySafe: true, cancellationToken).ConfigureAwait(false)).Value;

    /// <inheritdoc/>
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.Charge, command, Json.ChargeCommand, Json.ChargeOutcome,
            replaySafe: command.ReservationId is not null || command.Call.IdempotencyKey is not null, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        => (await PostAsync(LedgerRoutes.Release, command, Json.ReleaseCommand, Json.WireFlag, replaySafe: true, cancellationToken).ConfigureAwait(false)).Value;

    /// <inheritdoc/>
    public async ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await PostAsync(LedgerRoutes.SetBudget, budget, Json.Budget, Json.WireFlag, replaySafe: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => (await PostAsync(LedgerRoutes.GetBudget, new WireKey(key), Json.WireKey, Json.WireBudget, replaySafe: true, cancellationToken).ConfigureAwait(false)).Budget;

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => (await PostAsync(LedgerRoutes.RemoveBudget, new WireKey(key), Json.WireKey, Json.WireFlag, replaySafe: true, cancellationToken).ConfigureAwait(false)).Value;

    /// <inheritdoc/>
    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.GetUsage, new WireUsageRequest(key, periodKey, now), Json.WireUsageRequest, Json.LedgerUsage, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
        => await PostAsync(LedgerRoutes.ResetUsage, new WireUsageRequest(key, periodKey, default), Json.WireUsageRequest, Json.WireFlag, replaySafe: true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.OpenHolds, new WireHoldsRequest(customerId, now), Json.WireHoldsRequest, Json.IReadOnlyListOpenHold, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.OpenHoldsPage, new WireHoldsRequest(customerId, now, cursor, limit), Json.WireHoldsRequest, Json.OpenHoldPage, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        // Checked here: on the wire a missing query would read as "every row", not as the caller's mistake.
        ArgumentNullException.ThrowIfNull(query);
        return PostAsync(LedgerRoutes.UsageReport, new WireReportRequest(query, null, cursor, limit), Json.WireReportRequest, Json.UsageReportPage, replaySafe: true, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.Budgets, new WireReportRequest(null, customerId, cursor, limit), Json.WireReportRequest, Json.BudgetPage, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.Refusals, new WireReportRequest(null, customerId, null, limit), Json.WireReportRequest, Json.IReadOnlyListRefusalRecord, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken)
        => PostAsync(LedgerRoutes.Activity, new WireReportRequest(null, null, null, 0), Json.WireReportRequest, Json.LedgerActivity, replaySafe: true, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
        => (await PostAsync(LedgerRoutes.ReleaseExpired, new WireReportRequest(null, null, null, limit), Json.WireReportRequest, Json.WireCount, replaySafe: true, cancellationToken).ConfigureAwait(false)).Value;

    private async Task ReleaseLostHoldAsync(ReserveCommand command)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReleaseAsync(new ReleaseCommand(command.Call.CustomerId, command.ReservationId, command.Call.Now), bounded.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: a server still unreachable lets the hold expire by its TTL, as it would have.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async ValueTask<TResponse> PostAsync<TRequest, TResponse>(
        string route, TRequest body, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response, bool replaySafe, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body, request) };
        message.Options.Set(LedgerReplay.Safe, replaySafe);
        try
        {
            using var answer = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                throw await LedgerFailures.FromResponseAsync(answer, route, cancellationToken).ConfigureAwait(false);
            }

            return (await answer.Content.ReadFromJsonAsync(response, cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No answer, a timeout, an open circuit or a cut-off body: the server may have applied the command.
            throw LedgerFailures.Unreachable(route, ex);
        }
    }
}
