using System.Globalization;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Key names. Every key of a customer carries the hash tag <c>{c:BASE64URL(WTF-8 of the customer id)}</c>: one
/// operation's keys share one hash slot (so scripts run unchanged on Redis Cluster), and the encoding keeps any
/// id — braces, colons, globs, unicode, even an unpaired surrogate — from colliding with another or breaking out
/// of its tag. The global scope's keys carry <c>{g}</c>, which no customer tag can equal.
/// </summary>
internal sealed class RedisKeys
{
    // Control characters never appear in ids, so they separate the parts of a field name.
    public const char IdSeparator = '\x1e';
    public const char EntrySeparator = '\x1d';
    public const char FieldSeparator = '\x1f';
    public const char PartSeparator = '\x1c';

    private const string GlobalTag = "{g}";
    private static readonly string[] CustomerKeyNames = ["budgets", "counters", "holds", "expiry", "memory", "memexp", "meta"];
    private static readonly string[] GlobalKeyNames = ["budgets", "counters", "shares", "expiry"];

    private readonly string _prefix;

    /// <summary>Creates the key names under a prefix the options validator accepted.</summary>
    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Global = [.. GlobalKeyNames.Select(name => (RedisKey)$"{_prefix}:{GlobalTag}:{name}")];
        // Operations on the global scope alone (reading its usage) run with an empty customer in the global slot.
        GlobalSweeper = [.. CustomerKeyNames.Select(name => (RedisKey)$"{_prefix}:{GlobalTag}:sweeper:{name}")];
    }

    /// <summary>The global scope's budgets, counters, shares and share expiries, in the order the scripts expect.</summary>
    public RedisKey[] Global { get; }

    /// <summary>Stands in for a customer's keys when a script runs for the global scope alone.</summary>
    private RedisKey[] GlobalSweeper { get; }

    /// <summary>The hash tag of a customer: it names the customer's slot and its shares of global budgets.</summary>
    public static string CustomerTag(string customerId)
        => "{c:" + Convert.ToBase64String(Wtf8.Encode(customerId)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "}";

    /// <summary>
    /// A script's keys, in the order the scripts expect: a customer's (by its <see cref="CustomerTag"/>, or the
    /// <see cref="GlobalSweeper"/>'s when there is none), then the global scope's when they can join.
    /// </summary>
    public RedisKey[] Script(string? customerTag, bool withGlobal)
    {
        // Built in one array: this runs on every call, twice per gated call.
        var keys = new RedisKey[CustomerKeyNames.Length + (withGlobal ? Global.Length : 0)];
        if (customerTag is null)
        {
            GlobalSweeper.CopyTo(keys, 0);
        }
        else
        {
            for (var i = 0; i < CustomerKeyNames.Length; i++)
            {
                keys[i] = string.Concat(_prefix, ":", customerTag, ":", CustomerKeyNames[i]);
            }
        }

        if (withGlobal)
        {
            Global.CopyTo(keys, CustomerKeyNames.Length);
        }

        return keys;
    }

    public RedisKey Budgets(string customerId) => $"{_prefix}:{CustomerTag(customerId)}:budgets";

    public RedisKey Counters(string customerId) => $"{_prefix}:{CustomerTag(customerId)}:counters";

    /// <summary>An id, or a field built from ids, as the bytes Redis stores: WTF-8, so no two strings meet.</summary>
    public static RedisValue Wire(string text) => Wtf8.Encode(text);

    /// <summary>The field that names a budget in its budgets hash: kind, meter and, for agents and tasks, the name.</summary>
    public static string BudgetField(BudgetKey key)
    {
        var meter = ((int)key.Meter).ToString(CultureInfo.InvariantCulture);
        return key.Scope.Kind switch
        {
            BudgetScopeKind.Customer => "c" + IdSeparator + meter,
            BudgetScopeKind.Agent => "a" + IdSeparator + meter + IdSeparator + key.Scope.Name,
            BudgetScopeKind.Task => "t" + IdSeparator + meter + IdSeparator + key.Scope.Name,
            _ => "g" + IdSeparator + meter,
        };
    }

    /// <summary>The id of one budget's counter in one period.</summary>
    public static string CounterId(BudgetKey key, string periodKey) => BudgetField(key) + EntrySeparator + periodKey;

    /// <summary>The field of one part of a counter: <c>u</c> used, <c>r</c> reserved, <c>a</c> highest alert raised.</summary>
    public static string CounterField(char part, string counterId) => part.ToString() + PartSeparator + counterId;

    /// <summary>Rebuilds a budget key from the kind, meter and name a script returns.</summary>
    public static BudgetKey ParseBudgetKey(string kind, string meter, string name, string customerId)
    {
        var usageMeter = (UsageMeter)int.Parse(meter, CultureInfo.InvariantCulture);
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
