// AgentBill quick start: a budget gate in front of a pretend research agent.
// Everything runs in memory: no key, no network. Read it top to bottom.
using AgentBill;

await using var bill = new AgentBillClient(options: new AgentBillOptions
{
    Ceiling = 50,                                     // no single run may be estimated above 50 units
    UpgradeUrl = new Uri("https://example.com/upgrade"),
    OnBudgetAlert = (alert, _) =>
    {
        Console.WriteLine($"  ! alert: {alert.Key.Scope} reached {alert.ThresholdPercent}% ({alert.Used}/{alert.Limit})");
        return ValueTask.CompletedTask;
    },
});

// Each customer pays from their own monthly budget.
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month));
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.Units, 100, BudgetPeriod.Month));

Console.WriteLine("1. Approved runs: the estimate is held before the run, the real usage settled after.");
for (var run = 1; run <= 3; run++)
{
    var used = await RunResearchAsync(bill, "alice", topic: $"topic {run}", estimatedUnits: 30);
    Console.WriteLine($"   alice run {run}: approved, used {used} units");
}

Console.WriteLine("2. A run refused by its ceiling: nothing is held, nothing is spent.");
try
{
    await RunResearchAsync(bill, "bob", topic: "the whole internet", estimatedUnits: 80);
}
catch (CeilingExceededException ex)
{
    Console.WriteLine($"   bob: refused ({ex.Result!.Reason}), estimate {ex.Result.EstimatedUnits} > ceiling 50");
}

Console.WriteLine("3. Alice runs out of budget; Bob keeps working.");
try
{
    await RunResearchAsync(bill, "alice", topic: "one more", estimatedUnits: 30);
}
catch (BudgetExhaustedException ex)
{
    Console.WriteLine($"   alice: refused ({ex.Result!.Reason}), {ex.Result.RemainingUnits} units left, upgrade at {ex.Result.UpgradeUrl}");
}

var bobUsed = await RunResearchAsync(bill, "bob", topic: "a small question", estimatedUnits: 20);
Console.WriteLine($"   bob: approved, used {bobUsed} units");

Console.WriteLine("4. Usage report");
foreach (var customer in new[] { "alice", "bob" })
{
    var usage = await bill.GetUsageAsync(BudgetScope.Customer(customer));
    Console.WriteLine($"   {customer,-6} {usage.PeriodKey}: used {usage.Used,3} of {usage.Limit}, held {usage.Reserved}, left {usage.Remaining}");
}

// The agent: preflight holds the estimate, the run works, the real usage is committed.
// If the run throws, disposing the reservation releases the hold: a failed run costs nothing.
static async Task<long> RunResearchAsync(IAgentBill bill, string customerId, string topic, long estimatedUnits)
{
    await using var reservation = await bill.ReserveAsync("researcher", estimatedUnits, customerId);
    var actualUnits = PretendToResearch(topic, estimatedUnits);
    await reservation.CommitAsync(actualUnits);
    return actualUnits;
}

// Stands in for model calls: real runs usually use a little less than their estimate.
static long PretendToResearch(string topic, long estimatedUnits) => estimatedUnits - topic.Length % 5;
