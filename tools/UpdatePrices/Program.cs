// Regenerates the built-in price table from LiteLLM's community price file:
//   dotnet run --project tools/UpdatePrices -- <path or URL of model_prices_and_context_window.json> --date <yyyy-MM-dd>
// --date is the day the file is as of (its commit's date); --out defaults to src/AgentBill/Pricing/BuiltInModelPrices.cs.
using System.Globalization;
using AgentBill.Pricing;
using AgentBill.Tools.UpdatePrices;

const string Usage = "usage: UpdatePrices <path or URL of model_prices_and_context_window.json> --date <yyyy-MM-dd> [--out <file>] [--overrides <file>]";

string? source = null, date = null, output = null, overrides = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--date" when i + 1 < args.Length:
            date = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--overrides" when i + 1 < args.Length:
            overrides = args[++i];
            break;
        case var value when source is null && !value.StartsWith("--", StringComparison.Ordinal):
            source = value;
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

if (source is null || date is null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

output ??= Path.Combine(RepositoryRoot(), "src", "AgentBill", "Pricing", "BuiltInModelPrices.cs");
overrides ??= Path.Combine(RepositoryRoot(), "tools", "UpdatePrices", "price-overrides.json");

byte[] json;
if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
{
    using var http = new HttpClient();
    json = await http.GetByteArrayAsync(uri).ConfigureAwait(false);
}
else
{
    json = await File.ReadAllBytesAsync(source).ConfigureAwait(false);
}

try
{
    var code = PriceTableGenerator.Generate(json, await File.ReadAllBytesAsync(overrides).ConfigureAwait(false), day);
    await File.WriteAllTextAsync(output, code).ConfigureAwait(false);
    Console.WriteLine($"wrote {output}: {code.Split('\n').Count(static line => line.Contains("yield return", StringComparison.Ordinal))} prices as of {day:yyyy-MM-dd}");
    return 0;
}
catch (PriceFileFormatException ex)
{
    Console.Error.WriteLine($"UpdatePrices: {ex.Message}");
    return 1;
}

// The folder holding AgentBill.sln, from wherever the command is run inside the repository.
static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "AgentBill.sln")))
        {
            return folder.FullName;
        }
    }

    throw new InvalidOperationException("Run UpdatePrices inside the AgentBill repository, or pass --out and --overrides.");
}
