using System.CommandLine;
using AgentBill.Cli.Commands;
using AgentBill.Cli.Stores;
using AgentBill.Pricing;

namespace AgentBill.Cli.Hosting;

/// <summary>Builds the <c>agentbill</c> command tree and runs one command line: parse, act, map failures to exit codes.</summary>
internal static class CliApp
{
    /// <summary>Runs one command line and returns its exit code (<see cref="ExitCodes"/>). Never throws.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="host">Where output goes and what the environment holds.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C).</param>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var runner = new CliRunner(host, new StoreChoice(LedgerStores.All));
        var root = Build(runner);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync($"agentbill: {error.Message}").ConfigureAwait(false);
            }

            PrintUsage(root, parse, host);
            return ExitCodes.BadArguments;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is var (code, message))
        {
            await host.Error.WriteLineAsync($"agentbill: {message}").ConfigureAwait(false);
            if (code == ExitCodes.BadArguments && ex is not CliException { ShowUsage: false })
            {
                PrintUsage(root, parse, host);
            }

            return code;
        }
    }

    /// <summary>The command tree.</summary>
    public static Command Build(CliRunner runner)
    {
        // A named root, not RootCommand: that one is named after the executable (AgentBill.Cli.dll), not the tool's command.
        var root = new Command("agentbill", "Budgets, usage, holds and prices of AgentBill, from a terminal; and an MCP server over the same budgets.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        foreach (var option in runner.Stores.Options)
        {
            root.Options.Add(option);
        }

        Command[] commands =
        [
            StatusCommand.Create(runner),
            BudgetCommands.Create(runner),
            UsageCommand.Create(runner),
            HoldsCommands.Create(runner),
            WatchCommand.Create(runner),
            ModelsCommand.Create(runner),
            PricesCommands.Create(runner),
            LedgerCommands.Create(runner),
            McpCommand.Create(runner),
            ServeCommand.Create(runner),
            KeysCommands.Create(runner),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>The exit code and the one line an exception means to an operator.</summary>
    private static (int Code, string Message)? Describe(Exception ex) => ex switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        AgentBillUnavailableException => (ExitCodes.StoreUnavailable, "the store cannot be reached: " + FirstLine(ex.Message)),
        LedgerDataLostException => (ExitCodes.DataLost, FirstLine(ex.Message) + " After restoring, run: agentbill ledger ack-data-loss --yes"),
        PriceFileFormatException => (ExitCodes.InvalidFile, "the price file is not valid: " + FirstLine(ex.Message)),
        ArgumentException or FormatException => (ExitCodes.BadArguments, FirstLine(ex.Message)),
        OperationCanceledException => (ExitCodes.Failure, "cancelled."),
        NotSupportedException => (ExitCodes.Failure, FirstLine(ex.Message)),
        AgentBillException => (ExitCodes.Failure, FirstLine(ex.Message)),
        _ => (ExitCodes.Failure, $"unexpected {ex.GetType().Name}: {FirstLine(ex.Message)}"),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Prints the help of the command that was being parsed, to the error output.</summary>
    private static void PrintUsage(Command root, ParseResult parse, CliHost host)
    {
        var path = new List<string>();
        for (var result = parse.CommandResult; result?.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command.Name);
        }

        path.Add("--help");
        root.Parse(path).Invoke(new InvocationConfiguration { Output = host.Error, Error = host.Error });
    }
}
