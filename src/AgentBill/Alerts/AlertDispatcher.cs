using System.Threading.Channels;
using AgentBill.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentBill.Alerts;

/// <summary>
/// Delivers alerts on a background loop, so a slow or failing handler never delays or changes a charge.
/// The store decides which alerts exist (once per budget per period, across processes); this only delivers.
/// </summary>
internal sealed class AlertDispatcher : IAsyncDisposable
{
    private readonly Channel<BudgetAlert> _queue = Channel.CreateUnbounded<BudgetAlert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IReadOnlyList<IBudgetAlertHandler> _handlers;
    private readonly Func<BudgetAlert, CancellationToken, ValueTask>? _callback;
    private readonly ILogger _logger;
    private readonly AgentBillTelemetry _telemetry;
    private readonly Task _pump;

    public AlertDispatcher(IEnumerable<IBudgetAlertHandler> handlers, Func<BudgetAlert, CancellationToken, ValueTask>? callback, ILogger logger, AgentBillTelemetry telemetry)
    {
        _handlers = [.. handlers];
        _callback = callback;
        _logger = logger;
        _telemetry = telemetry;
        _pump = HasHandlers ? Task.Run(PumpAsync) : Task.CompletedTask;
    }

    private bool HasHandlers => _handlers.Count > 0 || _callback is not null;

    public void Enqueue(IReadOnlyList<BudgetAlert> alerts)
    {
        if (!HasHandlers)
        {
            return;
        }

        foreach (var alert in alerts)
        {
            _queue.Writer.TryWrite(alert);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_callback is not null)
            {
                await DeliverAsync(alert, _callback).ConfigureAwait(false);
            }

            foreach (var handler in _handlers)
            {
                await DeliverAsync(alert, handler.OnBudgetAlertAsync).ConfigureAwait(false);
            }

            _telemetry.AlertsDelivered.Add(1);
        }
    }

    private async ValueTask DeliverAsync(BudgetAlert alert, Func<BudgetAlert, CancellationToken, ValueTask> handler)
    {
        try
        {
            await handler(alert, _stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's failure must never reach the accounting, whatever it is.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _telemetry.AlertHandlerFailures.Add(1);
            Log.AlertHandlerFailed(_logger, ex, alert.ThresholdPercent, alert.Key.Scope);
        }
    }
}
