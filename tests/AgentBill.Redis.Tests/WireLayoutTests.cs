using System.Text.RegularExpressions;
using AgentBill.Redis.Wire;

namespace AgentBill.Redis.Tests;

/// <summary>C# and Lua read every position from one definition: no script counts ARGV, KEYS or reply fields by hand.</summary>
public sealed partial class WireLayoutTests
{
    private static readonly (string Script, string[] Parts, Type[] Layouts)[] Scripts =
    [
        ("reserve", ["refusal"], [typeof(CallArg), typeof(ReserveArg), typeof(ReserveReply)]),
        ("topup", ["refusal"], [typeof(TopUpArg), typeof(ReserveReply)]),
        ("extend", [], [typeof(ExtendArg), typeof(DoneReply)]),
        ("charge", [], [typeof(CallArg), typeof(ChargeArg), typeof(ChargeReply), typeof(AlertReply)]),
        ("release", [], [typeof(ReleaseArg), typeof(DoneReply)]),
        ("usage", [], [typeof(UsageArg), typeof(UsageReply)]),
        ("holds", [], [typeof(HoldsArg), typeof(HoldsReply), typeof(HoldReply)]),
        ("admin", [], [typeof(AdminArg), typeof(AdminReply)]),
    ];

    public static TheoryData<string> ScriptNames => [.. Scripts.Select(s => s.Script)];

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void Every_position_a_script_uses_is_one_its_generated_prelude_defines(string name)
    {
        var (_, parts, layouts) = Scripts.Single(s => s.Script == name);
        var prelude = LuaPrelude.For(layouts);
        var lua = LedgerScript.ReadSource("common") + string.Concat(parts.Select(LedgerScript.ReadSource)) + LedgerScript.ReadSource(name);
        var defined = Defined().Matches(prelude).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var used = Constant().Matches(lua).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(used);
        Assert.All(used, constant => Assert.Contains(constant, defined));
        Assert.DoesNotMatch(HandCounted(), lua);
        Assert.Contains(prelude + LedgerScript.ReadSource("common"), LedgerScript.Load(name, parts, layouts).Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prelude_names_positions_as_the_enums_number_them()
    {
        var prelude = LuaPrelude.For(typeof(CallArg), typeof(ReserveArg), typeof(ReserveReply), typeof(AlertReply));

        Assert.Contains("local K_BOOK = KEYS[1]", prelude, StringComparison.Ordinal);
        Assert.Contains($"local K_MARKER = KEYS[{(int)LedgerKey.Marker}]", prelude, StringComparison.Ordinal);
        Assert.Contains($"local ARG_DEFAULT_LIMIT = {(int)CallArg.DefaultLimit}", prelude, StringComparison.Ordinal);
        // Replies: C# reads field v, Lua writes index v + 1; a repeated part's fields are offsets on both sides.
        Assert.Contains($"local OUT_EARLIEST_EXPIRY = {(int)ReserveReply.EarliestExpiry + 1}", prelude, StringComparison.Ordinal);
        Assert.Contains($"local ALERT_LENGTH = {(int)AlertReply.Length}", prelude, StringComparison.Ordinal);
        Assert.Equal("ARG_DEFAULT_LIMIT", LuaPrelude.NameOf(typeof(CallArg), nameof(CallArg.DefaultLimit)));
    }

    [Fact]
    public void A_scripts_keys_come_in_the_order_the_layout_names_them()
    {
        var keys = new RedisKeys("p").Script(RedisKeys.CustomerTag("acme"), "marker", withGlobal: true);

        Assert.Equal("p:" + RedisKeys.CustomerTag("acme") + ":b", (string?)keys[(int)LedgerKey.Book - 1]);
        Assert.Equal("p:" + RedisKeys.CustomerTag("acme") + ":z", (string?)keys[(int)LedgerKey.HoldExpiry - 1]);
        Assert.Equal("p:" + RedisKeys.CustomerTag("acme") + ":x", (string?)keys[(int)LedgerKey.HoldIndex - 1]);
        Assert.Equal("p:" + RedisKeys.CustomerTag("acme") + ":m", (string?)keys[(int)LedgerKey.MemoryExpiry - 1]);
        Assert.Equal("marker", (string?)keys[(int)LedgerKey.Marker - 1]);
        Assert.Equal("p:{g}:b", (string?)keys[(int)LedgerKey.GlobalBook - 1]);
        Assert.Equal("p:{g}:shares", (string?)keys[(int)LedgerKey.GlobalShares - 1]);
        Assert.Equal("p:{g}:expiry", (string?)keys[(int)LedgerKey.GlobalExpiry - 1]);
        Assert.Equal(Enum.GetValues<LedgerKey>().Length, keys.Length);
    }

    [GeneratedRegex(@"^local ([A-Z_]+) = ", RegexOptions.Multiline)]
    private static partial Regex Defined();

    [GeneratedRegex(@"\b(?:K|ARG|OUT|ALERT|HOLD|GUARD)_[A-Z_]+\b")]
    private static partial Regex Constant();

    [GeneratedRegex(@"(?:ARGV|KEYS)\[\s*\d")]
    private static partial Regex HandCounted();
}
