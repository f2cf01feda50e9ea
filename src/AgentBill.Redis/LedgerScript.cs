using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// One ledger operation, a function of <see cref="LedgerLibrary"/>, run with <c>FCALL</c> on the node that owns its
/// keys. A server without the library answers "Function not found"; the library is loaded and the call sent once more.
/// </summary>
internal sealed class LedgerScript
{
    private readonly LedgerLibrary _library;

    internal LedgerScript(LedgerLibrary library, string name, string functionName)
    {
        _library = library;
        Name = name;
        FunctionName = functionName;
    }

    /// <summary>Starts the message of an error a function raises on purpose (a bug in the caller, not an outage).</summary>
    public const string ErrorPrefix = "AGENTBILL";

    /// <summary>The operation, as its Lua file is named.</summary>
    public string Name { get; }

    /// <summary>The function's name in the library.</summary>
    public string FunctionName { get; }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        // StackExchange.Redis routes a command by its RedisKey arguments: FCALL goes to the keys' node.
        var arguments = new object[2 + keys.Length + values.Length];
        arguments[0] = FunctionName;
        arguments[1] = keys.Length;
        keys.CopyTo(arguments, 2);
        for (var i = 0; i < values.Length; i++)
        {
            arguments[2 + keys.Length + i] = values[i];
        }

        try
        {
            return await database.ExecuteAsync("FCALL", arguments).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("Function not found", StringComparison.OrdinalIgnoreCase))
        {
            await _library.LoadAsync(database.Multiplexer).ConfigureAwait(false);
            return await database.ExecuteAsync("FCALL", arguments).ConfigureAwait(false);
        }
    }
}
