using AgentBill.Validation;
using Microsoft.Extensions.Options;

namespace AgentBill;

/// <summary>Refuses settings that would make the gate misbehave, at start-up rather than at the first call.</summary>
public sealed class AgentBillOptionsValidator : IValidateOptions<AgentBillOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentBillOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (meter, ceiling) in options.Ceilings)
        {
            if (!Enum.IsDefined(meter))
            {
                failures.Add($"{nameof(options.Ceilings)} names {meter}, which is not a defined {nameof(UsageMeter)}.");
            }
            else if (ceiling is < 0 or > Guard.MaxUnits)
            {
                failures.Add($"{nameof(options.Ceilings)}[{meter}] must be between 0 and {Guard.MaxUnits}.");
            }
        }

        try
        {
            Guard.Id(options.DefaultCustomerId, nameof(options.DefaultCustomerId));
        }
        catch (ArgumentException ex)
        {
            failures.Add(ex.Message);
        }

        RequireWithin(failures, options.ReservationTtl, nameof(options.ReservationTtl), Guard.MaxLifetime);
        RequireWithin(failures, options.StoreTimeout, nameof(options.StoreTimeout), Guard.MaxWait);
        RequireWithin(failures, options.IdempotencyWindow, nameof(options.IdempotencyWindow), Guard.MaxLifetime);
        if (options.RecordRetryDelay < TimeSpan.Zero || options.RecordRetryDelay > Guard.MaxWait)
        {
            failures.Add($"{nameof(options.RecordRetryDelay)} must be from zero to {Guard.MaxWait.TotalMinutes:0} minutes.");
        }

        if (options.RecordAttempts is < 1 or > 20)
        {
            failures.Add($"{nameof(options.RecordAttempts)} must be from 1 to 20.");
        }

        if (options.AlertThresholds is null || options.AlertThresholds.Any(static t => t is < 1 or > 1000))
        {
            failures.Add($"{nameof(options.AlertThresholds)} must hold percentages from 1 to 1000.");
        }

        if (options.TimeZone is null)
        {
            failures.Add($"{nameof(options.TimeZone)} is required.");
        }

        if (options.UpgradeUrl is { IsAbsoluteUri: false })
        {
            failures.Add($"{nameof(options.UpgradeUrl)} must be an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when the options are not valid.</summary>
    internal static void ThrowIfInvalid(AgentBillOptions options)
    {
        var result = new AgentBillOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AgentBillOptions), result.Failures);
        }
    }

    /// <summary>Positive and no longer than the code can represent in every store's clock arithmetic.</summary>
    private static void RequireWithin(List<string> failures, TimeSpan value, string name, TimeSpan max)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive.");
        }
        else if (value > max)
        {
            failures.Add($"{name} must be at most {Describe(max)}.");
        }
    }

    private static string Describe(TimeSpan span) => span >= TimeSpan.FromDays(1) ? $"{span.TotalDays:0} days" : $"{span.TotalMinutes:0} minutes";
}
