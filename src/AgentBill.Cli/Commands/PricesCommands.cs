using System.CommandLine;
using System.Globalization;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Cli.Pricing;
using AgentBill.Pricing;
using Spectre.Console;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill prices update &lt;file&gt;</c>: validates LiteLLM's community price file, shows the diff, then applies it.</summary>
internal static class PricesCommands
{
    public static Command Create(CliRunner runner)
    {
        var command = new Command("prices", "The price table the tool reads (models) and its updates.");
        command.Subcommands.Add(Update(runner));
        return command;
    }

    private static Command Update(CliRunner runner)
    {
        var file = new Argument<FileInfo>("file") { Description = "LiteLLM's model_prices_and_context_window.json (a local copy)." };
        var date = new Option<string>("--date") { Description = "The day the file's prices are as of, yyyy-MM-dd.", Required = true, HelpName = "yyyy-MM-dd" };
        var version = new Option<string>("--version") { Description = "The table's version; litellm-<date> by default.", HelpName = "text" };
        var providers = new Option<string[]>("--provider") { Description = "A litellm_provider to keep (repeat it: --provider openai --provider anthropic); every provider by default.", AllowMultipleArgumentsPerToken = false };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking, after the diff is shown." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and show the diff; apply nothing." };
        var json = CommonOptions.Json();
        var command = new Command("update", "Validates a community price file, shows what it changes against the table in use, and applies it when confirmed (--yes, or yes at the prompt).")
        {
            file, date, version, providers, yes, dryRun, json,
        };
        file.AcceptExistingOnly();
        date.Validators.Add(result =>
        {
            if (!DateOnly.TryParseExact(result.GetValueOrDefault<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError("--date must be a day as yyyy-MM-dd.");
            }
        });
        command.SetAction((parse, _) =>
        {
            var effective = DateOnly.ParseExact(parse.GetValue(date)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var options = new LiteLlmPriceFileOptions
            {
                Version = parse.GetValue(version) ?? $"litellm-{effective:yyyy-MM-dd}",
                EffectiveDate = effective,
                Providers = parse.GetValue(providers) ?? [],
            };
            var path = parse.GetValue(file)!.FullName;
            var next = ModelPriceTable.LoadLiteLlm(path, options); // validates the whole file; throws before anything is written
            var applied = new AppliedPriceFile(runner.Host.HomeDirectory);
            var (current, source) = applied.Current();
            var diff = PriceDiff.Between(current, next);
            var asJson = parse.GetValue(json);
            if (!asJson)
            {
                Render(runner.Host.Console, diff, current, source, next);
            }

            var apply = !parse.GetValue(dryRun) && !diff.IsEmpty && Confirm(runner.Host, parse.GetValue(yes), asJson);
            PriceFileRecord? record = apply ? applied.Apply(path, options, DateTimeOffset.UtcNow) : null;
            if (asJson)
            {
                CliJson.Write(runner.Host.Out, new { from = new { current.Version, current.EffectiveDate, source }, to = new { next.Version, next.EffectiveDate }, diff, applied = record is not null, path = record is null ? null : applied.PricePath });
            }
            else
            {
                runner.Host.Console.MarkupLine(record is not null
                    ? $"Applied: {Markup.Escape(applied.PricePath)}"
                    : diff.IsEmpty ? "Nothing to apply: the prices are the same." : "Not applied.");
            }

            var confirmedOrNotNeeded = record is not null || diff.IsEmpty || parse.GetValue(dryRun);
            return Task.FromResult(confirmedOrNotNeeded ? ExitCodes.Success : ExitCodes.NotConfirmed);
        });
        return command;
    }

    private static bool Confirm(CliHost host, bool yes, bool asJson)
        => yes || (host.Interactive && !asJson && host.Console.Confirm("Apply these prices?", defaultValue: false));

    private static void Render(IAnsiConsole console, PriceDiff diff, ModelPriceTable current, string source, ModelPriceTable next)
    {
        console.MarkupLine($"From {Markup.Escape(current.Version)} ({current.EffectiveDate:yyyy-MM-dd}, {Markup.Escape(source)}) to {Markup.Escape(next.Version)} ({next.EffectiveDate:yyyy-MM-dd}): "
            + $"[green]{diff.Added.Count} added[/], [red]{diff.Removed.Count} removed[/] (they become unknown and are refused), [yellow]{diff.Changed.Count} changed[/]");
        if (diff.IsEmpty)
        {
            return;
        }

        var table = Tables.Create("", "Model", "Input", "Cached input", "Output", "Cache write").RightAlign(2, 3, 4, 5);
        foreach (var added in diff.Added)
        {
            table.AddRow(["[green]+[/]", .. Cells(added)]);
        }

        foreach (var removed in diff.Removed)
        {
            table.AddRow(["[red]-[/]", .. Cells(removed)]);
        }

        foreach (var change in diff.Changed)
        {
            table.AddRow(
                "[yellow]~[/]",
                Markup.Escape(change.Model),
                Change(change.Before.InputPerMillion, change.After.InputPerMillion),
                Change(change.Before.CachedInputPerMillion, change.After.CachedInputPerMillion),
                Change(change.Before.OutputPerMillion, change.After.OutputPerMillion),
                Change(change.Before.CacheWriteInputPerMillion, change.After.CacheWriteInputPerMillion));
        }

        console.Write(table);
    }

    private static string[] Cells(PriceView view)
        => [Markup.Escape(view.Model), PriceView.Usd(view.InputPerMillion), PriceView.Usd(view.CachedInputPerMillion), PriceView.Usd(view.OutputPerMillion), PriceView.Usd(view.CacheWriteInputPerMillion)];

    private static string Change(long before, long after)
        => before == after ? PriceView.Usd(after) : $"{PriceView.Usd(before)} → [bold]{PriceView.Usd(after)}[/]";
}
