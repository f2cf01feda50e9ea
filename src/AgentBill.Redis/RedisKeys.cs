using System.Text;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Key names. Every key of a customer carries the hash tag <c>{c:BASE64URL(customer)}</c>: one operation's keys
/// share one hash slot (so scripts run unchanged on Redis Cluster), and the encoding keeps any id — braces,
/// colons, globs, unicode — from colliding with another or breaking out of its tag.
/// </summary>
internal sealed class RedisKeys
{
    // Control characters never appear in ids, so they separate the parts of a field name.
    public const char IdSeparator = '\x1e';
    public const char EntrySeparator = '\x1d';
    public const char FieldSeparator = '\x1f';

    private static readonly string[] CustomerKeyNames = ["budgets", "counters", "holds", "expiry", "memory", "memexp", "meta"];
    private static readonly string[] GlobalKeyNames = ["budgets", "counters", "shares", "expiry"];

    private readonly string _prefix;

    public RedisKeys(string prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.IndexOfAny(['{', '}']) >= 0 || prefix.Any(char.IsControl))
        {
            throw new ArgumentException("The key prefix must be non-empty, without braces or control characters.", nameof(prefix));
        }

        _prefix = prefix;
        GlobalTag = "{g}";
        Global = [.. GlobalKeyNames.Select(name => (RedisKey)$"{_prefix}:{GlobalTag}:{name}")];
        // Operations on the global scope alone (reading its usage) run with an empty customer in the global slot.
        GlobalSweeper = [.. CustomerKeyNames.Select(name => (RedisKey)$"{_prefix}:{GlobalTag}:sweeper:{name}")];
    }

    public string GlobalTag { get; }

    public RedisKey[] Global { get; }

    public RedisKey[] GlobalSweeper { get; }

    public string Pattern => _prefix + ":*";

    public static string CustomerTag(string customerId)
        => "{c:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(customerId)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "}";

    public RedisKey[] Customer(string customerId)
    {
        var tag = CustomerTag(customerId);
        return [.. CustomerKeyNames.Select(name => (RedisKey)$"{_prefix}:{tag}:{name}")];
    }

    public RedisKey Budgets(string customerId) => $"{_prefix}:{CustomerTag(customerId)}:budgets";

    public RedisKey Counters(string customerId) => $"{_prefix}:{CustomerTag(customerId)}:counters";

    /// <summary>The field that names a budget in its budgets hash: kind, meter and, for agents and tasks, the name.</summary>
    public static string BudgetField(BudgetKey key)
    {
        var meter = ((int)key.Meter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return key.Scope.Kind switch
        {
            BudgetScopeKind.Customer => "c" + IdSeparator + meter,
            BudgetScopeKind.Agent => "a" + IdSeparator + meter + IdSeparator + key.Scope.Name,
            BudgetScopeKind.Task => "t" + IdSeparator + meter + IdSeparator + key.Scope.Name,
            _ => "g" + IdSeparator + meter,
        };
    }

    public static string CounterId(BudgetKey key, string periodKey) => BudgetField(key) + EntrySeparator + periodKey;

    /// <summary>Rebuilds a budget key from the kind, meter and name a script returns.</summary>
    public static BudgetKey ParseBudgetKey(string kind, string meter, string name, string customerId)
    {
        var usageMeter = (UsageMeter)int.Parse(meter, System.Globalization.CultureInfo.InvariantCulture);
        var scope = kind switch
        {
            "c" => BudgetScope.Customer(customerId),
            "a" => BudgetScope.Agent(customerId, name),
            "t" => BudgetScope.Task(customerId, name),
            _ => BudgetScope.Global,
        };
        return new BudgetKey(scope, usageMeter);
    }
}
