using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>Refuses Redis settings that would misplace keys or never connect, at start-up rather than at the first call.</summary>
public sealed class RedisLedgerOptionsValidator : IValidateOptions<RedisLedgerOptions>
{
    /// <summary>The longest key prefix accepted.</summary>
    public const int MaxKeyPrefixLength = 64;

    /// <summary>The largest <see cref="RedisLedgerOptions.MaxClockSkew"/> accepted: past a minute, period names drift too far.</summary>
    public static readonly TimeSpan MaxClockSkewBound = TimeSpan.FromMinutes(1);

    /// <summary>The longest <see cref="RedisLedgerOptions.UsageRetention"/> accepted: ten years, well inside what a key expiry represents.</summary>
    public static readonly TimeSpan MaxUsageRetention = TimeSpan.FromDays(3650);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the options are not valid.</summary>
    internal static void ThrowIfInvalid(RedisLedgerOptions options, string paramName)
    {
        var failures = Failures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    private static List<string> Failures(RedisLedgerOptions options)
    {
        var failures = new List<string>();
        var prefix = options.KeyPrefix;
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxKeyPrefixLength)
        {
            failures.Add($"{nameof(options.KeyPrefix)} must be 1 to {MaxKeyPrefixLength} characters long.");
        }
        else if (prefix.AsSpan().IndexOfAny('{', '}') >= 0 || prefix.Any(char.IsControl) || !Wtf8.IsWellFormed(prefix))
        {
            failures.Add($"{nameof(options.KeyPrefix)} must not contain braces, control characters or unpaired surrogates: the hash tag of every key is its customer's.");
        }

        if (!Enum.IsDefined(options.Clock))
        {
            failures.Add($"{nameof(options.Clock)} must be {nameof(RedisClock.Server)} or {nameof(RedisClock.Client)}.");
        }

        if (options.MaxClockSkew <= TimeSpan.Zero || options.MaxClockSkew > MaxClockSkewBound)
        {
            failures.Add($"{nameof(options.MaxClockSkew)} must be positive and at most {MaxClockSkewBound.TotalSeconds:0} seconds.");
        }

        if (options.UsageRetention < TimeSpan.FromDays(1) || options.UsageRetention > MaxUsageRetention)
        {
            failures.Add($"{nameof(options.UsageRetention)} must be between a day and {MaxUsageRetention.TotalDays:0} days.");
        }

        if (options.Configuration is { } configuration)
        {
            try
            {
                if (ConfigurationOptions.Parse(configuration).EndPoints.Count == 0)
                {
                    failures.Add($"{nameof(options.Configuration)} names no Redis endpoint.");
                }
            }
            catch (ArgumentException)
            {
                // Not the parser's message: it quotes the text it could not read, which may be part of a password.
                failures.Add($"{nameof(options.Configuration)} is not a StackExchange.Redis configuration string (a value holding a comma must be quoted); its text is not repeated here because it may hold a password.");
            }
        }

        return failures;
    }
}
