using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Mcp;
using AgentBill.Cli.Output;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill mcp</c>: an MCP server with the preflight, record, release and status tools over the chosen store.</summary>
internal static class McpCommand
{
    public static Command Create(CliRunner runner)
    {
        var http = new Option<bool>("--http") { Description = "Serve streamable HTTP on loopback (http://127.0.0.1:<port>/mcp) instead of stdio." };
        var port = new Option<int>("--port") { Description = "The loopback port for --http.", DefaultValueFactory = _ => 5127 };
        var command = new Command("mcp", "Runs an MCP server (stdio by default) with the tools preflight, record, release and status over the chosen store.") { http, port };
        port.InRange(value => value is >= 1 and <= 65535, "must be from 1 to 65535");
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var session = store.Session; // opened first: an unreachable store fails in one line, before the server starts
            if (parse.GetValue(http))
            {
                await McpServers.RunHttpAsync(session, parse.GetValue(port), runner.Host, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await McpServers.RunStdioAsync(session, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
