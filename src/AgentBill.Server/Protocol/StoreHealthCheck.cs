using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentBill.Server.Protocol;

/// <summary>Healthy when the store answers a read; <c>GET /health</c> answers 503 otherwise.</summary>
internal sealed class StoreHealthCheck(IAgentBillAdmin admin) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await admin.GetUsageAsync(BudgetScope.Global, cancellationToken: cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (AgentBillUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", ex);
        }
    }
}
