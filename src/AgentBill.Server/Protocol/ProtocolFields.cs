namespace AgentBill.Server.Protocol;

/// <summary>Names and values shared by the protocol's answers.</summary>
internal static class ProtocolFields
{
    /// <summary>The customer a request without <c>customer_id</c> is for, as in the original.</summary>
    public const string DefaultCustomer = "default";

    /// <summary>The core's argument names (camelCase) as the protocol's field names, so a 422 names the field that was sent.</summary>
    public static string? SnakeCase(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var builder = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A refusal reason as the protocol spells it.</summary>
    public static string? Reason(RefusalReason reason) => reason switch
    {
        RefusalReason.None => null,
        RefusalReason.CeilingExceeded or RefusalReason.RunCeilingExceeded => "ceiling_exceeded",
        RefusalReason.TaskCeilingExceeded => "task_ceiling_exceeded",
        RefusalReason.BudgetExhausted => "budget_exhausted",
        _ => SnakeCase(reason.ToString()),
    };

    /// <summary>A meter as the protocol's <c>unit</c> spells it.</summary>
    public static string Unit(UsageMeter meter) => meter switch
    {
        UsageMeter.Tokens => "token",
        UsageMeter.MicroUsd => "usd",
        _ => "unit",
    };

    /// <summary>A budget period as the <c>period</c> extension spells it.</summary>
    public static string Period(BudgetPeriod period) => period.ToString().ToLowerInvariant();
}
