// AgentBill quick start: a budget gate in front of a pretend research agent.
// Everything runs in memory: no key, no network. Read it top to bottom.
using AgentBill;
using QuickStart;

await using var bill = new AgentBillClient(options: new AgentBillOptions
{
    Ceiling = 50,                                     // no single run may be estimated above 50 units
    UpgradeUrl = new Uri("https://example.com/upgrade"),
});
AgentBillGate.DefaultClient = bill;                   // the client every [Gate] method uses

// Each customer pays from their own monthly budget.
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month));
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.Units, 100, BudgetPeriod.Month));
var agent = new ResearchAgent();

Console.WriteLine("1. Approved runs: the estimate is held before the run, the real usage settled after.");
for (var run = 1; run <= 3; run++)
{
    var answer = await agent.ResearchAsync("alice", $"topic {run}");
    Console.WriteLine($"   alice run {run}: {answer}");
}

Console.WriteLine("2. A run refused by its ceiling: nothing is held, nothing is spent.");
try
{
    await agent.ResearchEverythingAsync("bob");
}
catch (CeilingExceededException ex)
{
    Console.WriteLine($"   bob: refused ({ex.Result!.Reason}), estimate {ex.Result.EstimatedUnits} > ceiling 50");
}

Console.WriteLine("3. Alice runs out of budget; Bob keeps working.");
try
{
    await agent.ResearchAsync("alice", "one more");
}
catch (BudgetExhaustedException ex)
{
    Console.WriteLine($"   alice: refused ({ex.Result!.Reason}), {ex.Result.RemainingUnits} units left, upgrade at {ex.Result.UpgradeUrl}");
}

Console.WriteLine($"   bob: {await agent.ResearchAsync("bob", "a small question")}");

Console.WriteLine("4. Usage report");
foreach (var customer in new[] { "alice", "bob" })
{
    var usage = await bill.GetUsageAsync(BudgetScope.Customer(customer));
    Console.WriteLine($"   {customer,-6} {usage.PeriodKey}: used {usage.Used,3} of {usage.Limit}, held {usage.Reserved}, left {usage.Remaining}");
}
