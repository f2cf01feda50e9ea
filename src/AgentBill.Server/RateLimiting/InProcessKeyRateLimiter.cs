using System.Threading.RateLimiting;

namespace AgentBill.Server.RateLimiting;

/// <summary>
/// Per-key fixed windows in this process (the in-memory and SQLite stores): a server process of its own counts its
/// own requests. Several processes on one SQLite file each allow the limit; a Redis store shares one count.
/// </summary>
internal sealed class InProcessKeyRateLimiter(int permits, TimeSpan window) : IKeyRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(keyId =>
        RateLimitPartition.GetFixedWindowLimiter(keyId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    public ValueTask<TimeSpan?> AcquireAsync(string keyId, CancellationToken cancellationToken)
    {
        using var lease = _limiter.AttemptAcquire(keyId);
        return ValueTask.FromResult<TimeSpan?>(lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window);
    }

    public void Dispose() => _limiter.Dispose();
}
