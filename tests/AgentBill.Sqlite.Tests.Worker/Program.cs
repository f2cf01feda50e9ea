// Cross-process worker for the SQLite store tests.
//   contend <file> <customer> <estimate> <callers>: every caller preflights at once; prints "approved=N", then on the
//     line "commit" settles its holds and prints "committed=M".
//   hold <file> <customer> <units> <ttl-seconds> <now-unix-ms>: holds units at the given instant, prints "held", then
//     waits to be killed.
//   load <file> <customer> <callers>: every caller reserves 1 and commits 1 in a loop, printing "ok" after each
//     acknowledged commit, until the process is killed.
using System.Globalization;
using AgentBill;
using AgentBill.Sqlite;
using Microsoft.Extensions.Time.Testing;

var (mode, file, customer) = (args[0], args[1], args[2]);
using var ledger = new SqliteBudgetLedger(file);

if (mode == "hold")
{
    var amount = long.Parse(args[3], CultureInfo.InvariantCulture);
    var ttl = TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture));
    var now = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[5], CultureInfo.InvariantCulture));
    await using var holder = new AgentBillClient(ledger, timeProvider: new FakeTimeProvider(now));
    var held = await holder.PreflightAsync(new PreflightRequest("worker") { CustomerId = customer, EstimatedUnits = amount, Ttl = ttl });
    Console.WriteLine(held.Approved ? "held" : "refused");
    await Task.Delay(Timeout.Infinite);
}

await using var bill = new AgentBillClient(ledger);
if (mode == "load")
{
    var output = TextWriter.Synchronized(Console.Out);
    var loops = Enumerable.Range(0, int.Parse(args[3], CultureInfo.InvariantCulture)).Select(async _ =>
    {
        while (true)
        {
            await using var hold = await bill.ReserveAsync(new PreflightRequest("worker") { CustomerId = customer, EstimatedUnits = 1 });
            await hold.CommitAsync(1);
            output.WriteLine("ok");
            output.Flush();
        }
    });
    await Task.WhenAll(loops);
}

var estimate = long.Parse(args[3], CultureInfo.InvariantCulture);
await ContendWorker.RunAsync(bill, customer, estimate, int.Parse(args[4], CultureInfo.InvariantCulture), _ => estimate);
