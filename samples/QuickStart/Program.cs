// AgentBill quick start: a budget gate in front of a pretend research agent.
// Everything runs in memory: no key, no network. Read it top to bottom.
// To keep budgets and usage in a file instead, run it with `-- --file agentbill.db`, twice: the second run
// starts from the usage of the first. The one line that switches is `new SqliteBudgetLedger(file)` below.
using AgentBill;
using AgentBill.Sqlite;
using QuickStart;

var file = args is ["--file", var path] ? path : null;
await using var bill = new AgentBillClient(file is null ? null : new SqliteBudgetLedger(file), new AgentBillOptions
{
    Ceiling = 50,                                     // no single run may be estimated above 50 units
    UpgradeUrl = new Uri("https://example.com/upgrade"),
});
AgentBillGate.DefaultClient = bill;                   // the client every [Gate] method uses

// Each customer pays from their own monthly budget.
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month));
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.Units, 100, BudgetPeriod.Month));
var agent = new ResearchAgent();
if (file is not null)
{
    var earlier = await bill.GetUsageAsync(BudgetScope.Customer("alice"), period: BudgetPeriod.Month);
    Console.WriteLine($"0. The ledger is the file {file}: alice has used {earlier.Used} units this month in earlier runs.");
}

Console.WriteLine("1. Approved runs: the estimate is held before the run, the real usage settled after.");
for (var run = 1; run <= 3; run++)
{
    Console.WriteLine($"   alice run {run}: {await RunOrRefusal(() => agent.ResearchAsync("alice", $"topic {run}"))}");
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

Console.WriteLine($"   bob: {await RunOrRefusal(() => agent.ResearchAsync("bob", "a small question"))}");

Console.WriteLine("4. Usage report");
foreach (var customer in new[] { "alice", "bob" })
{
    var usage = await bill.GetUsageAsync(BudgetScope.Customer(customer));
    Console.WriteLine($"   {customer,-6} {usage.PeriodKey}: used {usage.Used,3} of {usage.Limit}, held {usage.Reserved}, left {usage.Remaining}");
}

// A run refused for budget says so instead of stopping the sample (with a file, later runs start from earlier usage).
static async Task<string> RunOrRefusal(Func<Task<string>> run)
{
    try
    {
        return await run();
    }
    catch (BudgetExhaustedException ex)
    {
        return $"refused ({ex.Result!.Reason}), {ex.Result.RemainingUnits} units left";
    }
}
