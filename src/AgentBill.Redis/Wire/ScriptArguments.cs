using StackExchange.Redis;

namespace AgentBill.Redis.Wire;

/// <summary>A script's ARGV, set by position the way Lua reads it (from 1): <c>arguments[(int)ReserveArg.Agent] = …</c>.</summary>
internal readonly struct ScriptArguments
{
    /// <summary>Makes room for the common arguments and a script's own, up to <paramref name="last"/>.</summary>
    public ScriptArguments(int last) => Values = new RedisValue[last];

    public RedisValue[] Values { get; }

    public RedisValue this[int position]
    {
        set => Values[position - 1] = value;
    }
}
