namespace AgentBill.Server.RateLimiting;

/// <summary>Counts one API key's requests; the answer is "go on" or how long to wait.</summary>
internal interface IKeyRateLimiter
{
    /// <summary>Counts a request of <paramref name="keyId"/>: <see langword="null"/> when it may go on, else the wait before the next window.</summary>
    ValueTask<TimeSpan?> AcquireAsync(string keyId, CancellationToken cancellationToken);
}
