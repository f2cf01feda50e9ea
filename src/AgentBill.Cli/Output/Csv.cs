namespace AgentBill.Cli.Output;

/// <summary>RFC 4180 fields: ids can hold commas, quotes and line breaks.</summary>
internal static class Csv
{
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it and prefix an apostrophe.
        var guarded = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return guarded.AsSpan().IndexOfAny(",\"\r\n") >= 0 || guarded != value
            ? "\"" + guarded.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : guarded;
    }
}
