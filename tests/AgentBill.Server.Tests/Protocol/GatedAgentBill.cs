using AgentBill.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentBill.Server.Tests.Protocol;

/// <summary>
/// The core client behind a gate every call awaits first: a test blocks it on a TaskCompletionSource (a preflight
/// being decided right now) or makes it throw (a store that does not answer).
/// </summary>
internal sealed class GatedAgentBill(AgentBillClient inner, Func<Task> gate) : IAgentBill, IAgentBillAdmin
{
    /// <summary>Puts a gated client in place of the server's <see cref="IAgentBill"/> and <see cref="IAgentBillAdmin"/>.</summary>
    public static Action<WebApplicationBuilder> Install(Func<Task> gate) => builder =>
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(provider => new GatedAgentBill(provider.GetRequiredService<AgentBillClient>(), gate)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IAgentBill>(static provider => provider.GetRequiredService<GatedAgentBill>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IAgentBillAdmin>(static provider => provider.GetRequiredService<GatedAgentBill>()));
    };

    public async ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.PreflightAsync(request, cancellationToken);
    }

    public async ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.ReserveAsync(request, cancellationToken);
    }

    public async ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.RecordAsync(request, cancellationToken);
    }

    public async ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.ReleaseAsync(reservationId, customerId, cancellationToken);
    }

    public async ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.TopUpAsync(reservationId, units, customerId, ttl, cancellationToken);
    }

    public async ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.ExtendAsync(reservationId, customerId, ttl, cancellationToken);
    }

    public async ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        await gate();
        await inner.SetBudgetAsync(budget, cancellationToken);
    }

    public async ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.GetBudgetAsync(scope, meter, cancellationToken);
    }

    public async ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.RemoveBudgetAsync(scope, meter, cancellationToken);
    }

    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.GetUsageAsync(scope, meter, at, period, cancellationToken);
    }

    public async ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        await gate();
        await inner.ResetUsageAsync(scope, meter, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.GetOpenHoldsAsync(customerId, cancellationToken);
    }

    public async ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await gate();
        return await inner.GetOpenHoldsPageAsync(customerId, cursor, limit, cancellationToken);
    }
}
