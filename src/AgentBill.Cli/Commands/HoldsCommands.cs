using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using Spectre.Console;
using AgentBill.Cli.Reading;
using AgentBill.Ledger;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill holds list|release|release-expired</c>: open reservations, a page at a time, and freeing stuck ones.</summary>
internal static class HoldsCommands
{
    public static Command Create(CliRunner runner)
    {
        var command = new Command("holds", "Open holds: list them a page at a time, release one, release the expired ones.");
        command.Subcommands.Add(List(runner));
        command.Subcommands.Add(Release(runner));
        command.Subcommands.Add(ReleaseExpired(runner));
        return command;
    }

    private static Command List(CliRunner runner)
    {
        var customer = CommonOptions.CustomerArgument();
        var limit = new Option<int>("--limit", "-n") { Description = $"Holds per page, 1 to {OpenHoldPage.MaxLimit}.", DefaultValueFactory = _ => 50 };
        var cursor = new Option<string>("--cursor") { Description = "The next-page cursor a previous page printed." };
        var all = new Option<bool>("--all") { Description = "Every page, not one." };
        var json = CommonOptions.Json();
        var command = new Command("list", "Lists a customer's open holds, one page (with the cursor of the next) or --all.") { customer, limit, cursor, all, json };
        limit.InRange(value => value is >= 1 and <= OpenHoldPage.MaxLimit, $"must be from 1 to {OpenHoldPage.MaxLimit}");
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.GetValue(customer)!;
            _ = BudgetScope.Customer(id);
            var holds = new List<HoldView>();
            var next = parse.GetValue(cursor);
            do
            {
                var page = await store.Session.Admin.GetOpenHoldsPageAsync(id, next, parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
                holds.AddRange(page.Holds.Select(HoldView.Of));
                next = page.NextCursor;
            }
            while (next is not null && parse.GetValue(all));

            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new { holds, nextCursor = next });
                return ExitCodes.Success;
            }

            var table = Tables.Create("Reservation", "Agent", "Task", "Meter", "Units", "Expires").RightAlign(4);
            foreach (var hold in holds)
            {
                table.Row(hold.ReservationId, hold.AgentId, hold.TaskRef, hold.Meter.ToString(), Tables.Number(hold.Units), Tables.Time(hold.ExpiresAt));
            }

            runner.Host.Console.Write(table);
            if (next is not null)
            {
                runner.Host.Console.MarkupLine($"More: agentbill holds list {Spectre.Console.Markup.Escape(id)} --cursor {Spectre.Console.Markup.Escape(next)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Release(CliRunner runner)
    {
        var customer = CommonOptions.CustomerArgument();
        var reservation = new Argument<string>("reservation") { Description = "The hold's reservation id (from holds list)." };
        var json = CommonOptions.Json();
        var command = new Command("release", "Frees one open hold, its units returned to every budget it held. Exit 4 when it is not open.") { customer, reservation, json };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.GetValue(customer)!;
            var reservationId = parse.GetValue(reservation)!;
            _ = BudgetScope.Customer(id);
            ArgumentException.ThrowIfNullOrWhiteSpace(reservationId, "reservation");
            var released = await store.Session.Client.ReleaseAsync(reservationId, id, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new { customerId = id, reservationId, released });
            }

            if (!released)
            {
                throw new CliException(ExitCodes.NotFound, $"No open hold '{reservationId}' for customer '{id}' (settled, released or expired).");
            }

            if (!parse.GetValue(json))
            {
                runner.Host.Console.MarkupLine($"Released {Spectre.Console.Markup.Escape(reservationId)}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ReleaseExpired(CliRunner runner)
    {
        var batch = new Option<int>("--batch") { Description = $"Holds released per store call, 1 to {OpenHoldPage.MaxLimit}.", DefaultValueFactory = _ => Pages.Size };
        var json = CommonOptions.Json();
        var command = new Command("release-expired", "Releases every hold whose TTL has passed, across customers, in batches.") { batch, json };
        batch.InRange(value => value is >= 1 and <= OpenHoldPage.MaxLimit, $"must be from 1 to {OpenHoldPage.MaxLimit}");
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var size = parse.GetValue(batch);
            var reports = store.Session.Reports;
            var total = 0;
            async Task SweepAsync()
            {
                int released;
                do
                {
                    released = await reports.ReleaseExpiredHoldsAsync(size, cancellationToken).ConfigureAwait(false);
                    total += released;
                }
                while (released == size);
            }

            await Busy.RunAsync(runner.Host, "Releasing expired holds", SweepAsync).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new { released = total });
            }
            else
            {
                runner.Host.Console.MarkupLine($"Released {Tables.Number(total)} expired holds.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
