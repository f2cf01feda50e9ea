using System.CommandLine;
using AgentBill.Cli.Stores;

namespace AgentBill.Cli.Hosting;

/// <summary>What every command's action is given: the host to write to, and the store the options chose.</summary>
internal sealed class CliRunner
{
    private readonly StoreChoice _stores;

    public CliRunner(CliHost host, StoreChoice stores)
    {
        Host = host;
        _stores = stores;
    }

    public CliHost Host { get; }

    public StoreChoice Stores => _stores;

    /// <summary>Sets an action that needs a store; with none chosen, the command fails with one line and exit 2.</summary>
    public void SetStoreAction(Command command, Func<ParseResult, StoreAccess, CancellationToken, Task<int>> action)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            var (store, value, error) = _stores.Resolve(parse, Host.Environment);
            if (error is not null)
            {
                throw new CliException(ExitCodes.BadArguments, error) { ShowUsage = false };
            }

            await using var access = new StoreAccess(store!, value!, Host);
            return await action(parse, access, cancellationToken).ConfigureAwait(false);
        });
}
