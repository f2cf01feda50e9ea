using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using Spectre.Console;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill ledger init|ack-data-loss</c>: the ledger's creation, and the acknowledgement after a loss.</summary>
internal static class LedgerCommands
{
    public static Command Create(CliRunner runner)
    {
        var command = new Command("ledger", "The ledger's life cycle: create it, and acknowledge a detected data loss after restoring.");
        command.Subcommands.Add(Init(runner));
        command.Subcommands.Add(AcknowledgeDataLoss(runner));
        return command;
    }

    private static Command Init(CliRunner runner)
    {
        var json = CommonOptions.Json();
        var command = new Command("init", "Creates the ledger once (a deployment step); a ledger that exists is left as it is, so it is safe to run on every deployment. It never gets past a loss: see ack-data-loss.") { json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var session = store.Session;
            await session.Store.Initialize(session.Ledger, cancellationToken).ConfigureAwait(false);
            Report(runner, parse.GetValue(json), new { store = session.Store.Name, initialized = true }, $"The {session.Store.Name} ledger is ready.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AcknowledgeDataLoss(CliRunner runner)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Confirm that budgets and usage that must still count were restored." };
        var json = CommonOptions.Json();
        var command = new Command("ack-data-loss", "After a detected loss, once budgets and usage that must still count are restored: lets the ledger approve and charge again. Asks first, unless --yes.") { yes, json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var host = runner.Host;
            var confirmed = parse.GetValue(yes)
                || (host.Interactive && host.Console.Confirm("Budgets and usage that must still count are restored, and the ledger may run again?", defaultValue: false));
            if (!confirmed)
            {
                throw new CliException(ExitCodes.NotConfirmed, "Not acknowledged: restore budgets and usage first, then run agentbill ledger ack-data-loss --yes.") { ShowUsage = false };
            }

            var session = store.Session;
            await session.Store.AcknowledgeDataLoss(session.Ledger, cancellationToken).ConfigureAwait(false);
            Report(runner, parse.GetValue(json), new { store = session.Store.Name, acknowledged = true }, $"Data loss acknowledged: the {session.Store.Name} ledger approves and charges again.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Report<T>(CliRunner runner, bool json, T value, string line)
    {
        if (json)
        {
            CliJson.Write(runner.Host.Out, value);
        }
        else
        {
            runner.Host.Console.MarkupLine(Spectre.Console.Markup.Escape(line));
        }
    }
}
