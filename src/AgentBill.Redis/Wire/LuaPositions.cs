using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentBill.Redis.Wire;

/// <summary>
/// Puts the positions of <see cref="LedgerKey"/>'s file into the Lua the library is built from: the one place both
/// sides read positions from. A key <c>K_NAME</c> becomes <c>KEYS[n]</c>, an argument <c>ARG_NAME</c> its number n
/// (read as <c>ARGV[ARG_NAME]</c>), a reply field <c>OUT_NAME</c> Lua's 1-based index of C#'s 0-based field, and
/// the fields of a repeated reply part (<see cref="AlertReply"/>, <see cref="HoldReply"/>) offsets from its start.
/// The names are replaced by their numbers when the library is built, not defined as Lua locals: the library's
/// functions share one Lua chunk, where two layouts may number the same name differently (<c>ARG_ID</c>), and a
/// number costs a call nothing to look up.
/// </summary>
internal static partial class LuaPositions
{
    /// <summary>The enums every part of the library is given.</summary>
    public static readonly Type[] Common = [typeof(LedgerKey), typeof(CommonArg), typeof(GuardReply), typeof(ReplyStatus), typeof(RefusalReason)];

    /// <summary>The Lua name of an enum member: <c>ReserveArg.DefaultLimit</c> is <c>ARG_DEFAULT_LIMIT</c>.</summary>
    public static string NameOf(Type layout, string member) => PrefixOf(layout) + Snake(member);

    /// <summary>Every position the common enums and <paramref name="layouts"/> name, as the Lua text that replaces it.</summary>
    /// <exception cref="InvalidOperationException">Two layouts give one name different positions.</exception>
    public static IReadOnlyDictionary<string, string> For(params Type[] layouts)
    {
        var positions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layout in Common.Concat(layouts))
        {
            foreach (var (member, text) in Values(layout))
            {
                var name = NameOf(layout, member);
                if (positions.TryGetValue(name, out var other) && other != text)
                {
                    throw new InvalidOperationException($"{name} is {other} in one layout and {text} in another given with it.");
                }

                positions[name] = text;
            }
        }

        return positions;
    }

    /// <summary>
    /// A layout's names and the Lua text each stands for: a key's <c>KEYS[n]</c>, a position's number, a status's
    /// quoted text, a refusal reason's quoted number (replies are strings).
    /// </summary>
    private static IEnumerable<(string Member, string Text)> Values(Type layout)
    {
        if (layout == typeof(ReplyStatus))
        {
            return typeof(ReplyStatus).GetFields().Select(field => (field.Name, Quoted((string)field.GetRawConstantValue()!)));
        }

        // First only says where the next layout starts numbering; it is no position of its own.
        return Enum.GetNames(layout).Where(m => m != "First").Select(member =>
        {
            var value = Convert.ToInt32(Enum.Parse(layout, member), CultureInfo.InvariantCulture);
            var text = layout == typeof(LedgerKey) ? $"KEYS[{Int(value)}]"
                : layout == typeof(RefusalReason) ? Quoted(Int(value))
                : Int(value + (IsReply(layout) ? 1 : 0));
            return (member, text);
        });
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quoted(string text) => "'" + text + "'";

    /// <summary>Replaces every position name in <paramref name="lua"/> with its number from <paramref name="layouts"/>.</summary>
    /// <exception cref="InvalidOperationException">The Lua names a position none of the layouts defines.</exception>
    public static string Inline(string lua, string part, params Type[] layouts)
    {
        var positions = For(layouts);
        return Name().Replace(lua, match => positions.TryGetValue(match.Value, out var text)
            ? text
            : throw new InvalidOperationException($"{part}.lua uses {match.Value}, which none of its layouts defines."));
    }

    /// <summary>A position name as the Lua writes it.</summary>
    [GeneratedRegex(@"\b(?:K|ARG|OUT|ALERT|HOLD|GUARD|STATUS|REASON)_[A-Z0-9_]+\b")]
    public static partial Regex Name();

    private static string PrefixOf(Type layout) => layout.Name switch
    {
        nameof(LedgerKey) => "K_",
        nameof(GuardReply) => "GUARD_",
        nameof(ReplyStatus) => "STATUS_",
        nameof(RefusalReason) => "REASON_",
        nameof(AlertReply) => "ALERT_",
        nameof(HoldReply) => "HOLD_",
        _ when layout.Name.EndsWith("Arg", StringComparison.Ordinal) => "ARG_",
        _ => "OUT_",
    };

    // Replies are read by C# from 0; Lua writes them from 1. A repeated part's fields are offsets, the same on both sides.
    private static bool IsReply(Type layout)
        => layout.Name.EndsWith("Reply", StringComparison.Ordinal) && layout != typeof(AlertReply) && layout != typeof(HoldReply);

    private static string Snake(string pascal)
    {
        var snake = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                snake.Append('_');
            }

            snake.Append(char.ToUpperInvariant(pascal[i]));
        }

        return snake.ToString();
    }
}
