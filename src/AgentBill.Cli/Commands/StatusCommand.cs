using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Cli.Reading;
using Spectre.Console;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill status &lt;customer&gt;</c>: budgets, usage, open holds and the last refusal of one customer.</summary>
internal static class StatusCommand
{
    public static Command Create(CliRunner runner)
    {
        var customer = CommonOptions.CustomerArgument();
        var json = CommonOptions.Json();
        var command = new Command("status", "Why a customer is refused, or how close it is: every budget with its usage and what is left, usage per meter and period, open holds, the last refusal and whether waiting helps.")
        {
            customer,
            json,
        };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.GetValue(customer)!;
            _ = BudgetScope.Customer(id);
            var status = await StatusReader.ReadAsync(store.Session, id, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, status);
            }
            else
            {
                Render(runner.Host.Console, status);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, CustomerStatus status)
    {
        console.MarkupLine($"[bold]{Markup.Escape(status.CustomerId)}[/] at {Tables.Time(status.At)}");
        if (status.Budgets.Count == 0)
        {
            console.MarkupLine("[grey]No budget set.[/]");
        }
        else
        {
            var budgets = Tables.Create("Scope", "Meter", "Period", "Limit", "Used", "Held", "Remaining", "Period ends").RightAlign(3, 4, 5, 6);
            foreach (var budget in status.Budgets)
            {
                var remaining = budget.Remaining == 0 ? $"[red]{Tables.Number(budget.Remaining)}[/]" : Tables.Number(budget.Remaining);
                budgets.AddRow(
                    Markup.Escape(budget.Scope.ToString()),
                    budget.Meter.ToString(),
                    budget.PeriodKey,
                    Tables.Number(budget.Limit),
                    budget.Overrun ? $"[red]{Tables.Number(budget.Used)} (overrun)[/]" : Tables.Number(budget.Used),
                    Tables.Number(budget.Reserved),
                    remaining,
                    Tables.Time(budget.PeriodEnd));
            }

            console.Write(budgets);
        }

        if (status.Usage.Count > 0)
        {
            var usage = Tables.Create("Meter", "Period", "Used", "Held").RightAlign(2, 3);
            foreach (var line in status.Usage)
            {
                usage.Row(line.Meter.ToString(), line.PeriodKey, Tables.Number(line.Used), Tables.Number(line.Reserved));
            }

            console.Write(usage);
        }

        console.MarkupLine(status.OpenHolds.Count == 0
            ? "Open holds: none"
            : $"Open holds: {status.OpenHolds.Count}{(status.MoreHolds ? "+" : string.Empty)} ({Tables.Number(status.OpenHolds.Sum(hold => hold.Units))} units listed; agentbill holds list {Markup.Escape(status.CustomerId)})");
        if (status.LastRefusal is { } refusal)
        {
            console.MarkupLine($"Last refusal: [red]{refusal.Reason}[/] at {Tables.Time(refusal.At)}, agent {Markup.Escape(refusal.AgentId)} asked {Tables.Number(refusal.Requested)} {refusal.Meter}"
                + (refusal.RefusedBy is { } scope ? $", refused by {Markup.Escape(scope.ToString())}" : string.Empty)
                + (refusal.Remaining is { } left ? $" with {Tables.Number(left)} left" : string.Empty));
        }
        else
        {
            console.MarkupLine("Last refusal: none kept");
        }
    }
}
