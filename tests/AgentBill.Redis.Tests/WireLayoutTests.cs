using System.Text.RegularExpressions;
using AgentBill.Redis.Wire;

namespace AgentBill.Redis.Tests;

/// <summary>C# and Lua read every position from one definition: no script counts ARGV, KEYS or reply fields by hand.</summary>
public sealed partial class WireLayoutTests
{
    public static TheoryData<string> ScriptNames => [.. LedgerLibrary.OperationNames, .. LedgerLibrary.PartNames, "common"];

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void No_Lua_file_counts_a_position_by_hand(string name)
    {
        Assert.DoesNotMatch(HandCounted(), LedgerLibrary.ReadSource(name));
    }

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void No_Lua_file_spells_a_reply_status_or_a_refusal_reason_or_builds_a_reply_by_counting(string name)
    {
        var lua = LedgerLibrary.ReadSource(name);

        // A reply is built by reply(last, { [OUT_X] = ... }) or from named statuses, never as a list of literals.
        Assert.DoesNotMatch(ReplyOfLiterals(), lua);
        foreach (var status in typeof(ReplyStatus).GetFields().Select(f => (string)f.GetRawConstantValue()!))
        {
            Assert.DoesNotContain($"'{status}'", lua, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Statuses_and_refusal_reasons_are_the_texts_and_numbers_CSharp_gives_them()
    {
        var names = LuaPositions.For(typeof(MismatchReply));

        Assert.Equal("'conflict-settle'", names["STATUS_CONFLICT_SETTLE"]);
        Assert.Equal($"'{(int)RefusalReason.TooManyOpenHolds}'", names["REASON_TOO_MANY_OPEN_HOLDS"]);
        Assert.Equal($"'{(int)RefusalReason.None}'", names["REASON_NONE"]);
        Assert.Equal($"{(int)MismatchReply.Task + 1}", names["OUT_TASK"]);
    }

    [Fact]
    public void The_library_keeps_no_position_name_unreplaced_and_counts_none_by_hand_but_the_enums()
    {
        var code = LedgerLibrary.Ledger.Code;

        Assert.DoesNotMatch(LuaPositions.Name(), code);
        Assert.DoesNotMatch(HandCounted(), LedgerLibrary.ReadSource("common"));
        Assert.All(LedgerLibrary.OperationNames, name => Assert.Contains($"'{LedgerLibrary.Ledger.Name}_{name}'", code, StringComparison.Ordinal));
    }

    [Fact]
    public void Positions_are_the_numbers_the_enums_give_them()
    {
        var positions = LuaPositions.For(typeof(CallArg), typeof(ReserveArg), typeof(ReserveReply), typeof(AlertReply));

        Assert.Equal("KEYS[1]", positions["K_BOOK"]);
        Assert.Equal($"KEYS[{(int)LedgerKey.Marker}]", positions["K_MARKER"]);
        Assert.Equal($"{(int)CallArg.DefaultLimit}", positions["ARG_DEFAULT_LIMIT"]);
        // Replies: C# reads field v, Lua writes index v + 1; a repeated part's fields are offsets on both sides.
        Assert.Equal($"{(int)ReserveReply.EarliestExpiry + 1}", positions["OUT_EARLIEST_EXPIRY"]);
        Assert.Equal($"{(int)AlertReply.Length}", positions["ALERT_LENGTH"]);
        Assert.Equal("ARG_DEFAULT_LIMIT", LuaPositions.NameOf(typeof(CallArg), nameof(CallArg.DefaultLimit)));
    }

    [Fact]
    public void A_position_no_layout_defines_or_two_layouts_number_differently_stops_the_build()
    {
        var unknown = Assert.Throws<InvalidOperationException>(() => LuaPositions.Inline("return ARGV[ARG_NO_SUCH]", "broken", typeof(ReserveArg)));
        var clash = Assert.Throws<InvalidOperationException>(() => LuaPositions.For(typeof(ReserveArg), typeof(ReleaseArg)));

        Assert.Contains("ARG_NO_SUCH", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("ARG_ID", clash.Message, StringComparison.Ordinal);
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

    [GeneratedRegex(@"(?:ARGV|KEYS)\[\s*\d")]
    private static partial Regex HandCounted();

    // A table constructor whose first entry is a string literal: a reply written out field by field.
    [GeneratedRegex(@"\{\s*'")]
    private static partial Regex ReplyOfLiterals();
}
