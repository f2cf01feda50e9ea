using Microsoft.Extensions.Options;

namespace AgentBill.Postgres;

/// <summary>Checks <see cref="PostgresLedgerOptions"/>: a usable retention and retry count, a clock that exists.</summary>
public sealed class PostgresLedgerOptionsValidator : IValidateOptions<PostgresLedgerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PostgresLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>Throws when the options cannot be used.</summary>
    /// <param name="options">The options.</param>
    /// <param name="paramName">The argument that carried them.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static void ThrowIfInvalid(PostgresLedgerOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Problem(options) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    private static string? Problem(PostgresLedgerOptions options)
    {
        if (options.UsageRetention <= TimeSpan.Zero)
        {
            return $"{nameof(PostgresLedgerOptions.UsageRetention)} must be positive (was {options.UsageRetention}).";
        }

        if (options.MaxConflictRetries is < 0 or > 100)
        {
            return $"{nameof(PostgresLedgerOptions.MaxConflictRetries)} must be between 0 and 100 (was {options.MaxConflictRetries}).";
        }

        if (!Enum.IsDefined(options.Clock))
        {
            return $"{nameof(PostgresLedgerOptions.Clock)} must be {nameof(PostgresClock.Server)} or {nameof(PostgresClock.Client)} (was {(int)options.Clock}).";
        }

        return null;
    }
}
