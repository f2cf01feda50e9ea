using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentBill.Redis.Wire;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Every ledger operation as one Redis Functions library (Redis 7): common.lua, the shared parts, and each
/// operation registered as a function. The library is loaded once per server, so a call runs only its operation:
/// sent as a script (<c>EVALSHA</c>), the same code would build every shared function again on every call, which
/// measured about 15 µs of each call's server time.
/// </summary>
/// <remarks>
/// The library's name carries a hash of its code, so two versions of AgentBill running side by side during a
/// deployment each call their own functions over the same keys; a server that does not have the library (first use,
/// a restart without persistence, <c>FUNCTION FLUSH</c>, a new cluster node) answers "Function not found" and is
/// loaded on every primary the connection knows, once, before the call is sent again.
/// </remarks>
internal sealed class LedgerLibrary
{
    // Each operation with the layouts its Lua uses; the common ones (LuaPositions.Common) go with every part.
    private static readonly (string Name, Type[] Layouts)[] Operations =
    [
        ("reserve", [typeof(CallArg), typeof(ReserveArg), typeof(ReserveReply)]),
        ("topup", [typeof(TopUpArg), typeof(ReserveReply)]),
        ("extend", [typeof(ExtendArg), typeof(DoneReply)]),
        ("charge", [typeof(CallArg), typeof(ChargeArg), typeof(ChargeReply), typeof(AlertReply), typeof(MismatchReply)]),
        ("release", [typeof(ReleaseArg), typeof(DoneReply)]),
        ("usage", [typeof(UsageArg), typeof(UsageReply)]),
        ("holds", [typeof(HoldsArg), typeof(HoldsReply), typeof(HoldReply)]),
        ("admin", [typeof(AdminArg), typeof(AdminReply)]),
        ("expire", [typeof(HoldsArg), typeof(DoneReply)]),
    ];

    // The shared parts after common.lua (Scripts/Library), in the order their locals must be declared, each with
    // the layouts its Lua uses besides the common ones.
    private static readonly (string Name, Type[] Layouts)[] Parts =
    [
        ("guard", []), // the loss marker, the clock, the periods a call counts in; the stamp every reply ends with
        ("book", []), // the customer's hash, read once and written once
        ("fields", []), // the names of the hash's fields
        ("counters", []), // a scope's usage counters, packed in one field
        ("holds", []), // hold records, their index, global shares, expiry sweeps
        ("memory", []), // remembered answers
        ("budgets", []), // the budgets that apply, what they can hold, alerts' arithmetic, metering
        ("finish", []), // the final write and the keys' expiry
        ("refusal", [typeof(ReserveReply)]), // a reserve's or top-up's refusal
    ];

    /// <summary>The names of the shared parts, as <see cref="ReadSource"/> reads them.</summary>
    public static IEnumerable<string> PartNames => Parts.Select(p => LibraryFolder + p.Name);

    private const string LibraryFolder = "Library.";

    private readonly SemaphoreSlim _loading = new(1, 1);

    private LedgerLibrary(string name, string code)
    {
        Name = name;
        Code = code;
    }

    /// <summary>The library every ledger uses.</summary>
    public static LedgerLibrary Ledger { get; } = Build();

    /// <summary>The library's name, <c>agentbill_</c> and a hash of its code.</summary>
    public string Name { get; }

    /// <summary>The whole text <c>FUNCTION LOAD</c> is sent.</summary>
    public string Code { get; }

    /// <summary>The names of the operations the library registers.</summary>
    public static IEnumerable<string> OperationNames => Operations.Select(o => o.Name);

    /// <summary>One operation of the library.</summary>
    public LedgerScript Function(string operation)
    {
        if (!Operations.Any(o => o.Name == operation))
        {
            throw new ArgumentException($"The library has no operation named {operation}.", nameof(operation));
        }

        return new LedgerScript(this, operation, FunctionName(Name, operation));
    }

    /// <summary>
    /// Loads the library on every connected primary that lacks it. Calls that found it missing at the same time
    /// wait for one load rather than each sending the code.
    /// </summary>
    public async Task LoadAsync(IConnectionMultiplexer multiplexer)
    {
        await _loading.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var server in multiplexer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                var listed = await server.ExecuteAsync("FUNCTION", "LIST", "LIBRARYNAME", Name).ConfigureAwait(false);
                if (((RedisResult[])listed!).Length > 0)
                {
                    continue;
                }

                try
                {
                    await server.ExecuteAsync("FUNCTION", "LOAD", Code).ConfigureAwait(false);
                }
                catch (RedisServerException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
                {
                    // Another client loaded it between the listing and the load: the same code under the same name.
                }
            }
        }
        finally
        {
            _loading.Release();
        }

    }

    /// <summary>The text of one of the embedded Lua files, as written (a shared part as <c>Library.name</c>).</summary>
    public static string ReadSource(string name)
    {
        using var stream = typeof(LedgerLibrary).Assembly.GetManifestResourceStream($"AgentBill.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static LedgerLibrary Build()
    {
        var body = new StringBuilder();
        body.Append(LuaPositions.Inline(ReadSource("common"), "common")).Append('\n');
        foreach (var (part, layouts) in Parts)
        {
            body.Append(LuaPositions.Inline(ReadSource(LibraryFolder + part), part, layouts)).Append('\n');
        }

        var functions = Operations.Select(o => (o.Name, Lua: LuaPositions.Inline(ReadSource(o.Name), o.Name, o.Layouts))).ToList();
        var hash = Hash(body + string.Concat(functions.Select(f => f.Name + f.Lua)));
        var name = "agentbill_" + hash;
        foreach (var (operation, lua) in functions)
        {
            // Each operation's file is the body of its own function, made once: its locals stay its own, and its returns
            // end the call; every reply is stamped with the ledger's now of the call.
            body.Append("do\nlocal operation = function()\n").Append(lua).Append("\nend\n")
                .Append("redis.register_function('").Append(FunctionName(name, operation)).Append("', function(keys, args)\n")
                .Append("begin(keys, args)\nreturn stamped(operation())\nend)\nend\n");
        }

        return new LedgerLibrary(name, $"#!lua name={name}\n{body}");
    }

    private static string FunctionName(string library, string operation) => library + "_" + operation;

    private static string Hash(string code)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)), 0, 8).ToLower(CultureInfo.InvariantCulture);
}
