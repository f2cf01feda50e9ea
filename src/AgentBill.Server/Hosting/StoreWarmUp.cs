using AgentBill.Ledger;
using AgentBill.Server.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentBill.Server.Hosting;

/// <summary>
/// Opens the store and the key store before the server takes requests. Their first resolution connects synchronously;
/// done by the first burst of requests, each blocking a pool thread, it starves the very connection it waits for (two
/// server processes under a burst of 40 requests failed every one this way). A store that does not answer yet is not
/// fatal: the server starts, answers 503, and its health check says so until the store is back.
/// </summary>
internal sealed class StoreWarmUp(IServiceProvider services, ILogger<StoreWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = services.GetRequiredService<IBudgetLedger>();
            _ = services.GetRequiredService<IApiKeyStore>();
        }
        catch (AgentBillUnavailableException ex)
        {
            logger.LogWarning(ex, "The store did not answer at start; requests are answered 503 until it does.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
