namespace AgentBill.Http;

/// <summary>
/// Which ledger requests the HTTP retries may send again. Only a request the server applies once however often it
/// arrives is repeated: a charge keyed by its reservation id or idempotency key, an extend, a release, and the reads
/// and admin writes that set a value. A reserve is not (a second reserve with the same id is refused as a duplicate,
/// not answered as a replay), nor a top-up (it would grow the hold twice), nor a charge without a key: their lost
/// answers surface as <see cref="AgentBillUnavailableException"/>, which the client already handles.
/// </summary>
internal static class LedgerReplay
{
    /// <summary>Set on a request that may be sent again.</summary>
    public static readonly HttpRequestOptionsKey<bool> Safe = new("AgentBill.ReplaySafe");

    public static bool IsSafe(HttpRequestMessage? request)
        => request is not null && request.Options.TryGetValue(Safe, out var safe) && safe;
}
