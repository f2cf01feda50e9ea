using Microsoft.Extensions.Options;

namespace AgentBill.Sqlite;

/// <summary>Checks <see cref="SqliteLedgerOptions"/> when the store is made, and at start-up in a host.</summary>
internal sealed class SqliteLedgerOptionsValidator : IValidateOptions<SqliteLedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteLedgerOptions options)
        => Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    public static void ThrowIfInvalid(SqliteLedgerOptions options, string parameterName)
    {
        if (Problem(options) is { } problem)
        {
            throw new ArgumentException(problem, parameterName);
        }
    }

    private static string? Problem(SqliteLedgerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return $"'{nameof(SqliteLedgerOptions.Path)}' must name the ledger file, such as 'agentbill.db'.";
        }

        if (options.Path.Contains(":memory:", StringComparison.OrdinalIgnoreCase) || options.Path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{nameof(SqliteLedgerOptions.Path)}' must be a file path ('{options.Path}' is an in-memory database or a URI): use the in-memory store for a ledger that need not survive.";
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            return $"'{nameof(SqliteLedgerOptions.Synchronous)}' must be Full or Normal.";
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            return $"'{nameof(SqliteLedgerOptions.BusyTimeout)}' must be positive and at most 10 minutes.";
        }

        return options.UsageRetention <= TimeSpan.Zero ? $"'{nameof(SqliteLedgerOptions.UsageRetention)}' must be positive." : null;
    }
}
