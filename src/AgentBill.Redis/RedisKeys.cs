using System.Globalization;
using AgentBill.Redis.Wire;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Key names. Every key of a customer carries the hash tag <c>{c:BASE64URL(WTF-8 of the customer id)}</c>: one
/// operation's keys share one hash slot (so scripts run unchanged on Redis Cluster), and the encoding keeps any
/// id — braces, colons, globs, unicode, even an unpaired surrogate — from colliding with another or breaking out
/// of its tag. The global scope's keys carry <c>{g}</c>, which no customer tag can equal; each slot's loss marker
/// carries a tag of that slot (<see cref="RedisSlots"/>).
/// </summary>
internal sealed class RedisKeys
{
    // Control characters never appear in ids, so they separate the parts of a field name.
    public const char IdSeparator = '\x1e';
    public const char EntrySeparator = '\x1d';
    public const char FieldSeparator = '\x1f';
    public const char PartSeparator = '\x1c';

    private const string GlobalTag = "{g}";

    // The customer's keys, in LedgerKey order (Book to MemoryExpiry); the marker follows, then the global keys.
    private static readonly string[] CustomerKeyNames = ["b", "z", "x", "m"];
    private static readonly string[] GlobalKeyNames = ["b", "shares", "expiry"];

    private readonly string _prefix;

    /// <summary>Creates the key names under a prefix the options validator accepted.</summary>
    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Epoch = $"{_prefix}:{GlobalTag}:epoch";
        Global = [.. GlobalKeyNames.Select(name => (RedisKey)$"{_prefix}:{GlobalTag}:{name}")];
    }

    /// <summary>The ledger's epoch: written once, read by every client at its first call (and, on a single server, every script's marker).</summary>
    public RedisKey Epoch { get; }

    /// <summary>The global scope's hash, shares and share expiries, in <see cref="LedgerKey"/> order.</summary>
    public RedisKey[] Global { get; }

    /// <summary>The hash tag of a customer: it names the customer's slot and its shares of global budgets.</summary>
    public static string CustomerTag(string customerId)
        => "{c:" + Convert.ToBase64String(Wtf8.Encode(customerId)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "}";

    /// <summary>The tag of the keys a script runs over: the customer's, or for the global scope alone the global sweeper's.</summary>
    public static string ScriptTag(string? customerTag) => customerTag ?? GlobalTag;

    /// <summary>The loss marker of one hash slot (used on Redis Cluster, where a script cannot reach the epoch key).</summary>
    public RedisKey Marker(int slot) => $"{_prefix}:{RedisSlots.TagOf(slot)}:marker";

    /// <summary>
    /// A script's keys in <see cref="LedgerKey"/> order: a customer's (by its <see cref="CustomerTag"/>, or the
    /// global sweeper's when there is none), the marker, then the global scope's when they can join.
    /// </summary>
    public RedisKey[] Script(string? customerTag, RedisKey marker, bool withGlobal)
    {
        // Built in one array: this runs on every call, twice per gated call.
        var keys = new RedisKey[CustomerKeyNames.Length + 1 + (withGlobal ? Global.Length : 0)];
        var stem = customerTag is null ? $"{_prefix}:{GlobalTag}:sweeper:" : string.Concat(_prefix, ":", customerTag, ":");
        for (var i = 0; i < CustomerKeyNames.Length; i++)
        {
            keys[i] = stem + CustomerKeyNames[i];
        }

        keys[(int)LedgerKey.Marker - 1] = marker;
        if (withGlobal)
        {
            Global.CopyTo(keys, (int)LedgerKey.GlobalBook - 1);
        }

        return keys;
    }

    /// <summary>The hash that holds a customer's budgets and counters.</summary>
    public RedisKey Book(string customerId) => $"{_prefix}:{CustomerTag(customerId)}:b";

    /// <summary>The <c>SCAN</c> pattern of every customer's hash, the prefix's glob characters escaped.</summary>
    public string BookPattern => string.Concat(_prefix.Select(static c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString())) + ":{c:*}:b";

    /// <summary>The customer whose hash a key is, decoded from its tag, or <see langword="null"/> for another key.</summary>
    public string? CustomerOfBook(string key)
    {
        var stem = _prefix + ":{c:";
        if (!key.StartsWith(stem, StringComparison.Ordinal) || !key.EndsWith("}:b", StringComparison.Ordinal) || key.Length < stem.Length + 3)
        {
            return null;
        }

        var base64 = key[stem.Length..^3].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Wtf8.Decode(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The global scope's hash.</summary>
    public RedisKey GlobalBook => Global[0];

    /// <summary>An id, or a field built from ids, as the bytes Redis stores: WTF-8, so no two strings meet.</summary>
    public static RedisValue Wire(string text) => Wtf8.Encode(text);

    /// <summary>The field that names a budget's scope: kind, meter and, for agents and tasks, the name.</summary>
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

    /// <summary>The hash field of a budget's limit and period (<c>B</c> in the scripts' field names).</summary>
    public static string BudgetHashField(BudgetKey key) => "B" + PartSeparator + BudgetField(key);

    /// <summary>The id of one budget's counter in one period.</summary>
    public static string CounterId(BudgetKey key, string periodKey) => BudgetField(key) + EntrySeparator + periodKey;

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
