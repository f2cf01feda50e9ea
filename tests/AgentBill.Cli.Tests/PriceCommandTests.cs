using AgentBill.Pricing;

namespace AgentBill.Cli.Tests;

public sealed class PriceCommandTests : IDisposable
{
    private const string PriceFile = """
        {
          "sample_spec": { "input_cost_per_token": 0 },
          "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 1e-05 },
          "acme-large": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06 }
        }
        """;

    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Models_lists_the_built_in_table_with_its_version_and_date()
    {
        var run = await _workspace.RunAsync("models", "gpt-4o-mini", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ModelPriceTable.BuiltIn.Version, run.Json.GetProperty("version").GetString());
        Assert.Equal("2026-07-24", run.Json.GetProperty("effectiveDate").GetString());
        Assert.Equal("built-in", run.Json.GetProperty("source").GetString());
        var model = run.Json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == "gpt-4o-mini");
        Assert.Equal(ModelPriceTable.BuiltIn.Prices["gpt-4o-mini"].InputPerMillion, model.GetProperty("inputPerMillion").GetInt64());
    }

    [Fact]
    public async Task Update_shows_the_diff_and_without_yes_applies_nothing()
    {
        var file = Write(PriceFile);

        var run = await _workspace.RunAsync("prices", "update", file, "--date", "2026-11-01", "--json");

        Assert.Equal(7, run.ExitCode);
        var diff = run.Json.GetProperty("diff");
        Assert.Equal("acme-large", Assert.Single(diff.GetProperty("added").EnumerateArray()).GetProperty("model").GetString());
        var changed = Assert.Single(diff.GetProperty("changed").EnumerateArray());
        Assert.Equal("gpt-4o", changed.GetProperty("model").GetString());
        Assert.Equal(3_000_000, changed.GetProperty("after").GetProperty("inputPerMillion").GetInt64());
        Assert.Contains(diff.GetProperty("removed").EnumerateArray(), m => m.GetProperty("model").GetString() == "gpt-4o-mini");
        Assert.False(run.Json.GetProperty("applied").GetBoolean());
        Assert.Equal("built-in", (await _workspace.RunAsync("models", "--json")).Json.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Update_with_yes_applies_the_file_that_models_then_reads()
    {
        var file = Write(PriceFile);

        var run = await _workspace.RunAsync("prices", "update", file, "--date", "2026-11-01", "--yes");
        var models = await _workspace.RunAsync("models", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Applied", run.Console, StringComparison.Ordinal);
        Assert.Equal("litellm-2026-11-01", models.Json.GetProperty("version").GetString());
        Assert.Equal("2026-11-01", models.Json.GetProperty("effectiveDate").GetString());
        Assert.Equal<string>(["acme-large", "gpt-4o"], [.. models.Json.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()!)]);
        Assert.True(File.Exists(Path.Combine(_workspace.Home, "prices", "model_prices_and_context_window.json")));
    }

    [Fact]
    public async Task An_invalid_file_exits_5_naming_the_entry_and_applies_nothing()
    {
        var file = Write("""{ "gpt-4o": { "litellm_provider": "openai", "input_cost_per_token": -1, "output_cost_per_token": 1e-05 } }""");

        var run = await _workspace.RunAsync("prices", "update", file, "--date", "2026-11-01", "--yes");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("gpt-4o", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workspace.Home, "prices")));
    }

    [Fact]
    public async Task A_bad_date_exits_2_and_applies_nothing()
    {
        var run = await _workspace.RunAsync("prices", "update", Write(PriceFile), "--date", "1 Nov", "--yes");

        Assert.Equal(2, run.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_workspace.Home, "prices")));
    }

    [Fact]
    public async Task Dry_run_shows_the_table_of_changes_and_exits_0()
    {
        var run = await _workspace.RunAsync("prices", "update", Write(PriceFile), "--date", "2026-11-01", "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("acme-large", run.Console, StringComparison.Ordinal);
        Assert.Contains("$2.50 → $3.00", run.Console, StringComparison.Ordinal);
        Assert.Contains("Not applied", run.Console, StringComparison.Ordinal);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_workspace.Folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => _workspace.Dispose();
}
