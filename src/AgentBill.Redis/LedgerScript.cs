using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// One operation's Lua script, run by its SHA1 (<c>EVALSHA</c>). A server that does not know it yet (first
/// use, a restart, a failover, <c>SCRIPT FLUSH</c>) answers NOSCRIPT, and the script is sent once in full
/// (<c>EVAL</c>), which also loads it on that node for the next call.
/// </summary>
internal sealed class LedgerScript
{
    private readonly string _source;
    private readonly byte[] _sha1;

    private LedgerScript(string name, string source)
    {
        Name = name;
        _source = source;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
    }

    /// <summary>Starts the message of an error a script raises on purpose (a bug in the caller, not an outage).</summary>
    public const string ErrorPrefix = "AGENTBILL";

    public string Name { get; }

    /// <summary>Loads a script: the generated constants of the common layouts and of <paramref name="layouts"/>, common.lua, then the script.</summary>
    public static LedgerScript Load(string name, params Type[] layouts) => Load(name, [], layouts);

    /// <summary>Loads a script with shared parts (such as <c>refusal</c>) between common.lua and the script.</summary>
    public static LedgerScript Load(string name, string[] parts, params Type[] layouts)
    {
        var assembly = typeof(LedgerScript).Assembly;
        var shared = string.Concat(parts.Select(part => Read(assembly, part) + "\n"));
        return new LedgerScript(name, Wire.LuaPrelude.For(layouts) + Read(assembly, "common") + "\n" + shared + Read(assembly, name));
    }

    /// <summary>The whole text sent to the server.</summary>
    public string Source => _source;

    /// <summary>The text of one of the embedded scripts, as written.</summary>
    public static string ReadSource(string name) => Read(typeof(LedgerScript).Assembly, name);

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(_source, keys, values).ConfigureAwait(false);
        }
    }

    private static string Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"AgentBill.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
