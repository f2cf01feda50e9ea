// Cross-process worker for the Redis store tests.
//   contend <endpoint> <prefix> <customer> <estimate> <callers>: every caller preflights at once; prints
//     "approved=N", then on the line "commit" settles its holds and prints "committed=M".
//   hold <endpoint> <prefix> <customer> <units> <ttl-seconds> <now-unix-ms>: holds units at the given instant
//     (the test's fake clock, so expiry does not depend on how fast this process started), prints "held", then
//     waits to be killed.
using System.Globalization;
using AgentBill;
using AgentBill.Redis;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

var (mode, endpoint, prefix, customer, amount) = (args[0], args[1], args[2], args[3], long.Parse(args[4], CultureInfo.InvariantCulture));
await using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint);
// The tests drive time with a fake clock this process is given, so the ledger follows the clients' time.
var ledger = new RedisBudgetLedger(redis, new RedisLedgerOptions { KeyPrefix = prefix, Clock = RedisClock.Client });

if (mode == "hold")
{
    var ttl = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    var now = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[6], CultureInfo.InvariantCulture));
    await using var holder = new AgentBillClient(ledger, timeProvider: new FakeTimeProvider(now));
    var held = await holder.PreflightAsync(new PreflightRequest("worker") { CustomerId = customer, EstimatedUnits = amount, Ttl = ttl });
    Console.WriteLine(held.Approved ? "held" : "refused");
    await Task.Delay(Timeout.Infinite);
}

await using var bill = new AgentBillClient(ledger);
await ContendWorker.RunAsync(bill, customer, amount, int.Parse(args[5], CultureInfo.InvariantCulture), index => amount - 1 - (index % 3));
