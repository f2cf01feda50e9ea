using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Cli.Reading;
using AgentBill.Cli.Stores;
using AgentBill.Ledger;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill watch</c>: approvals and refusals per second, today's usage and the latest refusals, live.</summary>
internal static class WatchCommand
{
    private const int TopRows = 10;

    public static Command Create(CliRunner runner)
    {
        var customer = CommonOptions.Customer("Watch one customer's usage and refusals; every customer's by default.");
        var interval = new Option<double>("--interval", "-i") { Description = "Seconds between reads, more than 0 and at most 3600.", DefaultValueFactory = _ => 1 };
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many reads; runs until Ctrl+C by default." };
        var json = CommonOptions.Json();
        var command = new Command("watch", "Live usage, approvals and refusals per second, and the latest refusals; --json writes one line per read.") { customer, interval, count, json };
        interval.InRange(value => value is > 0 and <= 3600, "must be more than 0 and at most 3600 seconds");
        count.InRange(value => value is null or >= 1, "must be at least 1");
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            var id = parse.ReadCustomer(customer);

            var session = store.Session;
            var delay = TimeSpan.FromSeconds(parse.GetValue(interval));
            var reads = parse.GetValue(count) ?? int.MaxValue;
            var asJson = parse.GetValue(json);
            WatchSample? previous = null;
            async Task<WatchSample> NextAsync(int read)
            {
                if (read > 0)
                {
                    await Task.Delay(delay, session.Time, cancellationToken).ConfigureAwait(false);
                }

                previous = await ReadAsync(session, id, previous, cancellationToken).ConfigureAwait(false);
                return previous;
            }

            if (asJson || !runner.Host.Interactive)
            {
                for (var read = 0; read < reads && !cancellationToken.IsCancellationRequested; read++)
                {
                    var sample = await NextAsync(read).ConfigureAwait(false);
                    if (asJson)
                    {
                        CliJson.WriteLine(runner.Host.Out, sample);
                    }
                    else
                    {
                        runner.Host.Console.Write(Render(sample));
                    }
                }

                return ExitCodes.Success;
            }

            await runner.Host.Console.Live(new Markup("Reading...")).StartAsync(async live =>
            {
                for (var read = 0; read < reads && !cancellationToken.IsCancellationRequested; read++)
                {
                    live.UpdateTarget(Render(await NextAsync(read).ConfigureAwait(false)));
                }
            }).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<WatchSample> ReadAsync(StoreSession session, string? customerId, WatchSample? previous, CancellationToken cancellationToken)
    {
        var reports = session.Reports;
        var activity = await reports.GetActivityAsync(cancellationToken).ConfigureAwait(false);
        var today = session.Calendar.KeysAt(activity.At).Day;
        var usage = new List<UsageLine>();
        var query = new UsageReportQuery { CustomerId = customerId, Kind = customerId is null ? BudgetScopeKind.Customer : null, PeriodKey = today };
        await foreach (var row in Pages.UsageAsync(reports, query, cancellationToken).ConfigureAwait(false))
        {
            usage.Add(UsageLine.Of(row));
        }

        var refusals = await reports.GetRefusalsAsync(customerId, 5, cancellationToken).ConfigureAwait(false);
        double? Rate(Func<WatchSample, long> total, long now)
        {
            var seconds = previous is null ? 0 : (activity.At - previous.At).TotalSeconds;
            return previous is null || seconds <= 0 ? null : Math.Round((now - total(previous)) / seconds, 2);
        }

        return new WatchSample(
            activity.At,
            activity.Approved,
            activity.Refused,
            Rate(sample => sample.Approved, activity.Approved),
            Rate(sample => sample.Refused, activity.Refused),
            [.. usage.OrderByDescending(line => line.Used + line.Reserved).Take(TopRows)],
            [.. refusals.Select(RefusalView.Of)]);
    }

    private static IRenderable Render(WatchSample sample)
    {
        var rates = new Markup(
            $"[bold]{Tables.Time(sample.At)}[/]  approved [green]{Rate(sample.ApprovedPerSecond)}/s[/] ({Tables.Number(sample.Approved)} in all)  "
            + $"refused [red]{Rate(sample.RefusedPerSecond)}/s[/] ({Tables.Number(sample.Refused)} in all)");
        var usage = Tables.Create("Scope", "Meter", "Today", "Used", "Held").RightAlign(3, 4);
        foreach (var line in sample.Usage)
        {
            usage.Row(line.Scope.ToString(), line.Meter.ToString(), line.PeriodKey, Tables.Number(line.Used), Tables.Number(line.Reserved));
        }

        var refusals = Tables.Create("Refused at", "Customer", "Agent", "Reason", "Asked", "Left").RightAlign(4, 5);
        foreach (var refusal in sample.RecentRefusals)
        {
            refusals.Row(Tables.Time(refusal.At), refusal.CustomerId, refusal.AgentId, refusal.Reason.ToString(), Tables.Number(refusal.Requested), Tables.Number(refusal.Remaining));
        }

        return new Rows(rates, usage, refusals);
    }

    private static string Rate(double? perSecond) => perSecond?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>One read of <c>watch</c>.</summary>
/// <param name="At">When the store's totals were read, by its clock.</param>
/// <param name="Approved">Holds approved since the ledger was made.</param>
/// <param name="Refused">Refusals the store decided since the ledger was made.</param>
/// <param name="ApprovedPerSecond">Approvals per second since the previous read; <see langword="null"/> on the first.</param>
/// <param name="RefusedPerSecond">Refusals per second since the previous read; <see langword="null"/> on the first.</param>
/// <param name="Usage">Today's busiest scopes.</param>
/// <param name="RecentRefusals">The latest refusals.</param>
internal sealed record WatchSample(
    DateTimeOffset At,
    long Approved,
    long Refused,
    double? ApprovedPerSecond,
    double? RefusedPerSecond,
    IReadOnlyList<UsageLine> Usage,
    IReadOnlyList<RefusalView> RecentRefusals);
