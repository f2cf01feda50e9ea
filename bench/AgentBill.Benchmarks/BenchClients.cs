namespace AgentBill.Benchmarks;

/// <summary>The clients the benchmarks measure.</summary>
internal static class BenchClients
{
    /// <summary>
    /// A client over the in-memory store that remembers settles for one second instead of the default day. Every
    /// settle of a named hold is remembered for the idempotency window (about 48 bytes each), so at the million
    /// settles a second a benchmark makes, a day's window would measure a table of billions that no real process
    /// reaches; one second keeps the table at the size a day gives at about sixteen settles a second.
    /// </summary>
    public static AgentBillClient InMemory() => new(options: new AgentBillOptions { IdempotencyWindow = TimeSpan.FromSeconds(1) });
}
