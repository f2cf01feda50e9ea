using System.Globalization;
using System.Text;

namespace AgentBill.Redis;

/// <summary>
/// Redis Cluster's hash slots: which slot a hash tag falls in (CRC16/XMODEM of its text, modulo 16384), and for
/// every slot a short tag that falls in it, so a key of one slot's own (its loss marker) can join any script whose
/// keys live there. The table is found once per process by trying <c>s0</c>, <c>s1</c>, … until every slot has one:
/// the same table in every process.
/// </summary>
internal static class RedisSlots
{
    public const int Count = 16384;

    private static readonly Lazy<string[]> Tags = new(BuildTags);

    /// <summary>The slot of a hash tag, given with its braces (<c>{c:…}</c>).</summary>
    public static int SlotOf(string tag) => Crc16(Encoding.UTF8.GetBytes(tag[1..^1])) % Count;

    /// <summary>A hash tag, with its braces, whose slot is <paramref name="slot"/>.</summary>
    public static string TagOf(int slot) => Tags.Value[slot];

    private static string[] BuildTags()
    {
        var tags = new string[Count];
        var left = Count;
        for (var i = 0; left > 0; i++)
        {
            var text = "s" + i.ToString(CultureInfo.InvariantCulture);
            var slot = Crc16(Encoding.ASCII.GetBytes(text)) % Count;
            if (tags[slot] is null)
            {
                tags[slot] = "{" + text + "}";
                left--;
            }
        }

        return tags;
    }

    private static int Crc16(ReadOnlySpan<byte> bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            crc &= 0xFFFF;
        }

        return crc;
    }
}
