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

await ContendWorker.RunAsync(bill, customer, long.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), _ => long.Parse(args[3], CultureInfo.InvariantCulture));
