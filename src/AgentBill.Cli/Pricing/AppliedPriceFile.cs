using System.Security.Cryptography;
using System.Text.Json;
using AgentBill.Cli.Output;
using AgentBill.Pricing;

namespace AgentBill.Cli.Pricing;

/// <summary>
/// The price file an operator applied with <c>agentbill prices update</c>: a validated copy of LiteLLM's file in
/// <c>&lt;home&gt;/prices/model_prices_and_context_window.json</c> and what it was applied as in
/// <c>&lt;home&gt;/prices/applied.json</c> (home is <c>AGENTBILL_HOME</c> or <c>~/.agentbill</c>). Until one is
/// applied, the table is the built-in one.
/// </summary>
internal sealed class AppliedPriceFile
{
    public const string FileName = "model_prices_and_context_window.json";
    private const string RecordName = "applied.json";

    public AppliedPriceFile(string home)
    {
        Directory = Path.Combine(home, "prices");
    }

    public string Directory { get; }

    public string PricePath => Path.Combine(Directory, FileName);

    private string RecordPath => Path.Combine(Directory, RecordName);

    /// <summary>The table in use and where it comes from.</summary>
    public (ModelPriceTable Table, string Source) Current()
    {
        if (!File.Exists(RecordPath))
        {
            return (ModelPriceTable.BuiltIn, "built-in");
        }

        var applied = JsonSerializer.Deserialize<PriceFileRecord>(File.ReadAllText(RecordPath), CliJson.Options)
            ?? throw new InvalidDataException($"{RecordPath} is empty.");
        return (ModelPriceTable.LoadLiteLlm(PricePath, applied.ToOptions()), PricePath);
    }

    /// <summary>
    /// Copies a validated file in, then writes its record: each written beside its target and moved over it, so a
    /// crash leaves the previous file or the new one, never half of one.
    /// </summary>
    public PriceFileRecord Apply(string sourcePath, LiteLlmPriceFileOptions options, DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var bytes = File.ReadAllBytes(sourcePath);
        var record = new PriceFileRecord(options.Version, options.EffectiveDate, [.. options.Providers], Convert.ToHexStringLower(SHA256.HashData(bytes)), Path.GetFullPath(sourcePath), now);
        Replace(PricePath, bytes);
        Replace(RecordPath, JsonSerializer.SerializeToUtf8Bytes(record, CliJson.Options));
        return record;
    }

    private static void Replace(string path, byte[] content)
    {
        var temporary = path + ".new";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>What a price file was applied as.</summary>
/// <param name="Version">The table's version.</param>
/// <param name="EffectiveDate">The day its prices are as of.</param>
/// <param name="Providers">The providers kept; empty keeps all.</param>
/// <param name="Sha256">The applied file's hash.</param>
/// <param name="Source">Where it was applied from.</param>
/// <param name="AppliedAt">When.</param>
internal sealed record PriceFileRecord(string Version, DateOnly EffectiveDate, IReadOnlyList<string> Providers, string Sha256, string Source, DateTimeOffset AppliedAt)
{
    public LiteLlmPriceFileOptions ToOptions() => new() { Version = Version, EffectiveDate = EffectiveDate, Providers = [.. Providers] };
}
