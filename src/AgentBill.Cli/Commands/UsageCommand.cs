using System.CommandLine;
using System.Globalization;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Cli.Reading;
using AgentBill.Ledger;
using Spectre.Console;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill usage</c>: settled and held usage by customer, agent, task and period; the numbers an invoice is reconciled with.</summary>
internal static class UsageCommand
{
    public static Command Create(CliRunner runner)
    {
        var customer = CommonOptions.Customer("One customer's usage; every customer's by default.");
        var kind = new Option<BudgetScopeKind?>("--by") { Description = "One kind of row: customer, agent (customer × agent), task or global; every kind by default." };
        var meter = CommonOptions.Meter("One meter; every meter by default");
        var period = new PeriodOption();
        var json = CommonOptions.Json();
        var csv = new Option<bool>("--csv") { Description = "Write CSV (one row per scope, meter and period) for invoicing." };
        var command = new Command("usage", "Usage per scope, meter and period: used is settled (what an invoice is reconciled with), held is open holds.")
        {
            customer, kind, meter, period.Option, json, csv,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                result.AddError("Choose --json or --csv, not both.");
            }
        });
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.ReadCustomer(customer);

            var session = store.Session;
            var query = new UsageReportQuery
            {
                CustomerId = id,
                Kind = parse.GetValue(kind),
                Meter = parse.GetValue(meter),
                PeriodKey = period.Read(parse, session.Calendar, session.Time.GetUtcNow()),
            };
            var rows = new List<UsageLine>();
            async Task ReadAsync()
            {
                await foreach (var row in Pages.UsageAsync(session.Reports, query, cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(UsageLine.Of(row));
                }
            }

            if (parse.GetValue(json))
            {
                await ReadAsync().ConfigureAwait(false);
                CliJson.Write(runner.Host.Out, rows);
            }
            else if (parse.GetValue(csv))
            {
                await ReadAsync().ConfigureAwait(false);
                WriteCsv(runner.Host.Out, rows);
            }
            else
            {
                await Busy.RunAsync(runner.Host, "Reading usage", ReadAsync).ConfigureAwait(false);
                Render(runner.Host.Console, rows);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, List<UsageLine> rows)
    {
        var table = Tables.Create("Customer", "Scope", "Meter", "Period", "Used", "Held").RightAlign(4, 5);
        foreach (var row in rows)
        {
            table.Row(row.Scope.CustomerId ?? "(global)", row.Scope.ToString(), row.Meter.ToString(), row.PeriodKey, Tables.Number(row.Used), Tables.Number(row.Reserved));
        }

        console.Write(table);
        console.MarkupLine($"{rows.Count} rows");
    }

    private static void WriteCsv(TextWriter writer, List<UsageLine> rows)
    {
        writer.WriteLine("customer,kind,agent,task,meter,period,used,reserved");
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(',',
                Csv.Field(row.Scope.CustomerId),
                Csv.Field(Names.Of(row.Scope.Kind)),
                Csv.Field(row.Scope.AgentId),
                Csv.Field(row.Scope.TaskRef),
                Csv.Field(Names.Of(row.Meter)),
                Csv.Field(row.PeriodKey),
                row.Used.ToString(CultureInfo.InvariantCulture),
                row.Reserved.ToString(CultureInfo.InvariantCulture)));
        }

        writer.Flush();
    }
}
