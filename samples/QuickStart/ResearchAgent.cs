using AgentBill;

namespace QuickStart;

/// <summary>A pretend agent. Each [Gate] method is held before it runs and recorded after: no other code needed.</summary>
public sealed class ResearchAgent
{
    // Before the body: a preflight holds 30 units of the customer's budget (refused above the ceiling of 50).
    // After it: the units the body reported are recorded. If the body throws, the hold is released.
    [Gate("researcher", EstimatedUnits = 30, Ceiling = 50)]
    public async Task<string> ResearchAsync([CustomerId] string customerId, string topic)
    {
        await Task.Yield(); // stands in for model calls
        var used = 30 - (topic.Length % 5);
        GateUsage.Report(used);
        return $"approved, researched '{topic}' for {used} units";
    }

    // Estimated at 80: every call is refused by the client's ceiling of 50 before the body runs.
    [Gate("researcher", EstimatedUnits = 80)]
    public Task<string> ResearchEverythingAsync([CustomerId] string customerId)
        => throw new InvalidOperationException("never runs: the gate refuses it first");
}
