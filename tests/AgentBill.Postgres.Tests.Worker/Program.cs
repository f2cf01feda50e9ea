// Cross-process worker for the PostgreSQL store tests.
//   contend <connection string> <customer> <estimate> <callers>: every caller preflights at once; prints
//     "approved=N", then on the line "commit" settles its holds and prints "committed=M".
using System.Globalization;
using AgentBill;
using AgentBill.Postgres;
using Npgsql;

var (connectionString, customer) = (args[1], args[2]);
await using var dataSource = NpgsqlDataSource.Create(connectionString);
await using var bill = new AgentBillClient(new PostgresBudgetLedger(dataSource));

var estimate = long.Parse(args[3], CultureInfo.InvariantCulture);
var callers = int.Parse(args[4], CultureInfo.InvariantCulture);
var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var attempts = Enumerable.Range(0, callers).Select(async _ =>
{
    await start.Task;
    return await bill.PreflightAsync("worker", estimate, customer);
}).ToArray();
start.SetResult();
var approved = (await Task.WhenAll(attempts)).Where(r => r.Approved).ToList();
Console.WriteLine($"approved={approved.Count}");

// Holds stay held until every process has tried: the test says when to settle them.
if (Console.ReadLine() == "commit")
{
    var committed = 0L;
    foreach (var hold in approved)
    {
        await bill.RecordAsync(new RecordRequest("worker", estimate) { CustomerId = customer, ReservationId = hold.ReservationId });
        committed += estimate;
    }

    Console.WriteLine($"committed={committed}");
}
