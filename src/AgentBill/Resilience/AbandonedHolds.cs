using AgentBill.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentBill.Ledger;

/// <summary>
/// Holds whose preflight the client gave up on: the store did not answer in time, failed mid-call, or the caller
/// cancelled. The hold may still land when the store answers (or may have landed before the call failed), and would
/// then block a tight budget for its whole TTL. Each one is released by the id the client sent, once the store has
/// answered the original call, trying again while the store is unreachable. Releasing a hold that never landed
/// changes nothing.
/// </summary>
internal sealed class AbandonedHolds(Func<string, string, CancellationToken, ValueTask<bool>> release, RetryBackoff backoff, AgentBillOptions options, TimeProvider time, ILogger logger)
    : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Releases the hold of an abandoned reserve in the background, once <paramref name="pending"/> has finished.</summary>
    public void Release(Task<ReserveOutcome> pending, string customerId, string reservationId)
        => _ = ReleaseAsync(pending, customerId, reservationId);

    /// <summary>Stops waiting for abandoned holds; those not released yet expire.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task ReleaseAsync(Task<ReserveOutcome> pending, string customerId, string reservationId)
    {
        var stopping = _stopping.Token;
        try
        {
            if (!(await pending.WaitAsync(stopping).ConfigureAwait(false)).Approved)
            {
                return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A call that failed may still have held before it failed: release by id either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var released = await release(customerId, reservationId, stopping).ConfigureAwait(false);
                Log.AbandonedHoldReleased(logger, reservationId, released);
                return;
            }
            catch (AgentBillUnavailableException) when (attempt < options.RecordAttempts)
            {
                try
                {
                    await Task.Delay(backoff.Next(attempt), time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
#pragma warning disable CA1031 // A background release never throws into nowhere: it logs, and the hold expires.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AbandonedHoldKept(logger, ex, reservationId);
                return;
            }
        }
    }
}
