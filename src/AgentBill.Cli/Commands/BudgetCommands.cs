using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using Spectre.Console;
using AgentBill.Cli.Reading;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill budget set|get|rm|list</c>.</summary>
internal static class BudgetCommands
{
    private static readonly UsageMeter[] Meters = Enum.GetValues<UsageMeter>();

    public static Command Create(CliRunner runner)
    {
        var command = new Command("budget", "Set, read, remove and list budgets.");
        command.Subcommands.Add(Set(runner));
        command.Subcommands.Add(Get(runner));
        command.Subcommands.Add(Remove(runner));
        command.Subcommands.Add(List(runner));
        return command;
    }

    private static Command Set(CliRunner runner)
    {
        var scope = new ScopeOptions();
        var meter = CommonOptions.Meter("What the budget counts; units by default");
        var limit = new Option<long>("--limit", "-l") { Description = "The limit per period, an integer (micro-USD for microUsd: $5 is 5000000).", Required = true };
        var period = new Option<BudgetPeriod>("--period", "-p") { Description = "lifetime, day, week or month (calendar periods in UTC).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("set", "Creates or replaces a budget; usage already spent in its period counts against it.") { meter, limit, period, json };
        scope.AddTo(command);
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            // Built before the store is opened: an invalid budget changes nothing.
            var budget = new Budget(scope.Read(parse), parse.GetValue(meter) ?? UsageMeter.Units, parse.GetValue(limit), parse.GetValue(period));
            await store.Session.Admin.SetBudgetAsync(budget, cancellationToken).ConfigureAwait(false);
            var view = BudgetView.Of(budget);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, view);
            }
            else
            {
                runner.Host.Console.MarkupLine($"Budget set: {Spectre.Console.Markup.Escape(view.Scope.ToString())}, {view.Limit:N0} {view.Meter} per {view.Period}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliRunner runner)
    {
        var scope = new ScopeOptions();
        var meter = CommonOptions.Meter("One meter; every meter by default");
        var json = CommonOptions.Json();
        var command = new Command("get", "Shows a scope's budgets with their usage in the current period; exit 4 when none is set.") { meter, json };
        scope.AddTo(command);
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var key = scope.Read(parse);
            var meters = parse.GetValue(meter) is { } one ? [one] : Meters;
            var views = new List<BudgetStatus>();
            foreach (var m in meters)
            {
                if (await store.Session.Admin.GetBudgetAsync(key, m, cancellationToken).ConfigureAwait(false) is { } budget)
                {
                    var usage = await store.Session.Admin.GetUsageAsync(key, m, cancellationToken: cancellationToken).ConfigureAwait(false);
                    views.Add(new BudgetStatus(ScopeView.Of(key), m, budget.Period, usage.PeriodKey, usage.PeriodEnd, budget.Limit, usage.Used, usage.Reserved, usage.Remaining ?? 0, usage.IsOverrun));
                }
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, views);
            }
            else if (views.Count > 0)
            {
                var table = Tables.Create("Scope", "Meter", "Period", "Limit", "Used", "Held", "Remaining").RightAlign(3, 4, 5, 6);
                foreach (var view in views)
                {
                    table.Row(view.Scope.ToString(), view.Meter.ToString(), view.PeriodKey, Tables.Number(view.Limit), Tables.Number(view.Used), Tables.Number(view.Reserved), Tables.Number(view.Remaining));
                }

                runner.Host.Console.Write(table);
            }

            if (views.Count == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"No budget is set for {key}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliRunner runner)
    {
        var scope = new ScopeOptions();
        var meter = CommonOptions.Meter("What the budget counts; units by default");
        var command = new Command("rm", "Removes a budget; its usage stays readable. Exit 4 when there was none.") { meter };
        scope.AddTo(command);
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var key = scope.Read(parse);
            var m = parse.GetValue(meter) ?? UsageMeter.Units;
            if (!await store.Session.Admin.RemoveBudgetAsync(key, m, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException(ExitCodes.NotFound, $"No {m} budget is set for {key}.");
            }

            runner.Host.Console.MarkupLine($"Budget removed: {Spectre.Console.Markup.Escape(key.ToString())}, {m}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliRunner runner)
    {
        var customer = CommonOptions.Customer("One customer's budgets; every customer's and the global ones by default.");
        var json = CommonOptions.Json();
        var command = new Command("list", "Lists the budgets set.") { customer, json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.ReadCustomer(customer);

            var budgets = new List<BudgetView>();
            await foreach (var budget in Pages.BudgetsAsync(store.Session.Reports, id, cancellationToken).ConfigureAwait(false))
            {
                budgets.Add(BudgetView.Of(budget));
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, budgets);
                return ExitCodes.Success;
            }

            var table = Tables.Create("Scope", "Meter", "Period", "Limit").RightAlign(3);
            foreach (var budget in budgets)
            {
                table.Row(budget.Scope.ToString(), budget.Meter.ToString(), budget.Period.ToString(), Tables.Number(budget.Limit));
            }

            runner.Host.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
