using System.Globalization;
using System.Text;

namespace AgentBill.Redis.Wire;

/// <summary>
/// Writes the Lua constants of a script from the enums of <see cref="LedgerKey"/>'s file: the one place both sides
/// read positions from. Keys become <c>K_NAME = KEYS[n]</c>, arguments <c>ARG_NAME = n</c> (read as
/// <c>ARGV[ARG_NAME]</c>), reply fields <c>OUT_NAME = n</c> (Lua's 1-based index of C#'s 0-based field), and
/// the fields of a repeated reply part (<see cref="AlertReply"/>, <see cref="HoldReply"/>) offsets from its start.
/// </summary>
internal static class LuaPrelude
{
    /// <summary>The enums every script is given.</summary>
    public static readonly Type[] Common = [typeof(LedgerKey), typeof(CommonArg), typeof(GuardReply)];

    /// <summary>The Lua name of an enum member, as the prelude defines it: <c>ReserveArg.DefaultLimit</c> is <c>ARG_DEFAULT_LIMIT</c>.</summary>
    public static string NameOf(Type layout, string member) => PrefixOf(layout) + Snake(member);

    /// <summary>The prelude of a script that uses the common enums and <paramref name="layouts"/>.</summary>
    public static string For(params Type[] layouts)
    {
        var lua = new StringBuilder("-- Generated from AgentBill.Redis.Wire (C#): the positions of keys, arguments and reply fields.\n");
        foreach (var layout in Common.Concat(layouts))
        {
            foreach (var member in Enum.GetNames(layout))
            {
                var value = Convert.ToInt32(Enum.Parse(layout, member), CultureInfo.InvariantCulture);
                var name = NameOf(layout, member);
                lua.Append("local ").Append(name).Append(" = ");
                if (layout == typeof(LedgerKey))
                {
                    lua.Append("KEYS[").Append(value).Append(']');
                }
                else
                {
                    lua.Append(value + (IsReply(layout) ? 1 : 0));
                }

                lua.Append('\n');
            }
        }

        return lua.ToString();
    }

    private static string PrefixOf(Type layout) => layout.Name switch
    {
        nameof(LedgerKey) => "K_",
        nameof(GuardReply) => "GUARD_",
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
        var snake = new StringBuilder(pascal.Length + 4);
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
