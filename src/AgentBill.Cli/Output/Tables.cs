using System.Globalization;
using Spectre.Console;

namespace AgentBill.Cli.Output;

/// <summary>Table helpers shared by the commands: numbers right-aligned and grouped, text escaped.</summary>
internal static class Tables
{
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header));
        }

        return table;
    }

    /// <summary>Right-aligns the columns that hold numbers.</summary>
    public static Table RightAlign(this Table table, params int[] columns)
    {
        foreach (var column in columns)
        {
            table.Columns[column].RightAligned();
        }

        return table;
    }

    public static Table Row(this Table table, params string?[] cells)
    {
        table.AddRow([.. cells.Select(cell => Markup.Escape(cell ?? "-"))]);
        return table;
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(long? value) => value is { } number ? Number(number) : "-";

    public static string Time(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
