using System.CommandLine;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using Spectre.Console;
using AgentBill.Cli.Pricing;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill models</c>: the price table in use, with its version and date.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliRunner runner)
    {
        var filter = new Argument<string?>("filter") { Description = "Only models whose id contains this text.", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("models", "The price table in use (the built-in one, or the file applied with prices update): its version and date, and each model's rates per 1M tokens.") { filter, json };
        command.SetAction((parse, _) =>
        {
            var (table, source) = new AppliedPriceFile(runner.Host.HomeDirectory).Current();
            var text = parse.GetValue(filter);
            var models = table.Prices
                .Where(entry => text is null || entry.Key.Contains(text, StringComparison.OrdinalIgnoreCase))
                .Select(PriceView.Of)
                .OrderBy(view => view.Model, StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (parse.GetValue(json))
            {
                CliJson.Write(runner.Host.Out, new { table.Version, table.EffectiveDate, source, models });
                return Task.FromResult(ExitCodes.Success);
            }

            runner.Host.Console.MarkupLine($"Price table [bold]{Spectre.Console.Markup.Escape(table.Version)}[/], as of {table.EffectiveDate:yyyy-MM-dd} ({Spectre.Console.Markup.Escape(source)}); USD per 1M tokens");
            var rows = Tables.Create("Model", "Input", "Cached input", "Output", "Cache write", "Long context above").RightAlign(1, 2, 3, 4, 5);
            foreach (var model in models)
            {
                rows.Row(model.Model, PriceView.Usd(model.InputPerMillion), PriceView.Usd(model.CachedInputPerMillion), PriceView.Usd(model.OutputPerMillion), PriceView.Usd(model.CacheWriteInputPerMillion), Tables.Number(model.LongContextAbovePromptTokens));
            }

            runner.Host.Console.Write(rows);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
