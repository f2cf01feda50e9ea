using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace AgentBill.Benchmarks;

/// <summary>
/// Tallies the runtime's allocation samples (one event per ~100 KB allocated, naming the type that crossed it) while
/// it is alive: which types a hot path's bytes go to, in proportion.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public IReadOnlyDictionary<string, long> BytesByType => _bytesByType;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: allocation ticks.
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var at and >= 0 ? eventData.Payload[at] as string ?? "?" : "?";
        _bytesByType.AddOrUpdate(type, 100_000, static (_, bytes) => bytes + 100_000);
    }
}
