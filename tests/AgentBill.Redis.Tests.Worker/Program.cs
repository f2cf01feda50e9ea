// Cross-process worker for the Redis store tests.
//   contend <endpoint> <prefix> <customer> <estimate> <callers>: every caller tries one gated run at once;
//     prints "approved=N committed=M".
//   hold <endpoint> <prefix> <customer> <units> <ttl-seconds>: holds units, prints "held", then waits to be killed.
using AgentBill;
using AgentBill.Redis;
using StackExchange.Redis;

var (mode, endpoint, prefix, customer, amount) = (args[0], args[1], args[2], args[3], long.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
await using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint);
await using var bill = new AgentBillClient(new RedisBudgetLedger(redis, new RedisLedgerOptions { KeyPrefix = prefix }));

if (mode == "hold")
{
    var ttl = TimeSpan.FromSeconds(int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
    var held = await bill.PreflightAsync(new PreflightRequest("worker") { CustomerId = customer, EstimatedUnits = amount, Ttl = ttl });
    Console.WriteLine(held.Approved ? "held" : "refused");
    await Task.Delay(Timeout.Infinite);
}

var callers = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture);
var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var runs = Enumerable.Range(0, callers).Select(async caller =>
{
    await start.Task;
    try
    {
        await using var reservation = await bill.ReserveAsync("worker", amount, customer);
        var actual = amount - 1 - (caller % 3);
        await reservation.CommitAsync(actual);
        return (Approved: 1, Committed: actual);
    }
    catch (BudgetExhaustedException)
    {
        return (Approved: 0, Committed: 0L);
    }
}).ToArray();
start.SetResult();
var results = await Task.WhenAll(runs);
Console.WriteLine($"approved={results.Sum(r => r.Approved)} committed={results.Sum(r => r.Committed)}");
