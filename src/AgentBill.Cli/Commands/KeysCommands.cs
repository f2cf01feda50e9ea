using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Server.Keys;

namespace AgentBill.Cli.Commands;

/// <summary>
/// <c>agentbill keys create|list|revoke</c>: the budget server's API keys, on the store the server runs on (how the
/// first admin key is made, before <c>agentbill serve</c>).
/// </summary>
internal static class KeysCommands
{
    public static Command Create(CliRunner runner)
    {
        var command = new Command("keys", "The budget server's API keys: make one (shown once), list them, revoke one.");
        command.Subcommands.Add(Make(runner));
        command.Subcommands.Add(List(runner));
        command.Subcommands.Add(Revoke(runner));
        return command;
    }

    private static Command Make(CliRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Who the key is for, 1 to 128 characters." };
        var scope = new Option<string>("--scope") { Description = "metering (gate and record) or admin (also budgets, keys, reports, the dashboard).", DefaultValueFactory = _ => "metering" };
        scope.AcceptOnlyFromAmong("metering", "admin");
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working (ISO-8601); never when absent." };
        var json = CommonOptions.Json();
        var command = new Command("create", "Makes a key and prints its secret once: the store keeps only its SHA-256.") { name, scope, expires, json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var issued = await Argued(() => store.Session.Keys.CreateAsync(
                parse.GetValue(name)!,
                parse.GetValue(scope) == "admin" ? ApiKeyScope.Admin : ApiKeyScope.Metering,
                parse.GetValue(expires),
                cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new { key = issued.Secret, id = issued.Record.Id, name = issued.Record.Name, scope = ScopeName(issued.Record.Scope) });
                return ExitCodes.Success;
            }

            await runner.Host.Out.WriteLineAsync(issued.Secret).ConfigureAwait(false);
            await runner.Host.Error.WriteLineAsync($"key {issued.Record.Id} ({ScopeName(issued.Record.Scope)}) for '{issued.Record.Name}': the line above is its secret, shown this once.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliRunner runner)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "Lists every key, revoked ones too, by its first eight and last four characters.") { json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var keys = await store.Session.Keys.ListAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new
                {
                    keys = keys.Select(static key => new { id = key.Id, name = key.Name, scope = ScopeName(key.Scope), prefix = key.FirstEight, last4 = key.LastFour, createdAt = key.CreatedAt, expiresAt = key.ExpiresAt, revokedAt = key.RevokedAt }),
                });
                return ExitCodes.Success;
            }

            var table = Tables.Create("Id", "Name", "Scope", "Key", "Created", "Expires", "Revoked");
            foreach (var key in keys)
            {
                table.Row(key.Id, key.Name, ScopeName(key.Scope), key.Display, Tables.Time(key.CreatedAt), key.ExpiresAt is { } e ? Tables.Time(e) : "", key.RevokedAt is { } r ? Tables.Time(r) : "");
            }

            runner.Host.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(CliRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The key's id (from keys list)." };
        var command = new Command("revoke", "Revokes a key: every server on the store refuses it from its next request. Exit 4 when there is no such key.") { id };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var keyId = parse.GetValue(id)!;
            if (!await Argued(() => store.Session.Keys.RevokeAsync(keyId, cancellationToken)).ConfigureAwait(false))
            {
                await runner.Host.Error.WriteLineAsync($"agentbill keys revoke: no key has the id '{keyId}'.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            await runner.Host.Out.WriteLineAsync($"revoked {keyId}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ScopeName(ApiKeyScope scope) => scope == ApiKeyScope.Admin ? "admin" : "metering";

    // A bad name or expiry is the caller's argument, answered as one (exit 2), not as a failure of the store.
    private static async Task<T> Argued<T>(Func<ValueTask<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ExitCodes.BadArguments, ex.Message, ex);
        }
    }
}
