using System.Text;

namespace AgentBill.Redis;

/// <summary>
/// Ids travel to Redis as WTF-8: UTF-8, except that an unpaired surrogate is written as its own three bytes
/// instead of being replaced by U+FFFD. Plain UTF-8 would turn "\uD800" and "\uDBFF" into the same bytes, and
/// two different customers into one. The encoding is one-to-one on every .NET string, equals UTF-8 on every
/// well-formed one, and never yields a byte below 0x20 for a character that is not itself a control character,
/// so the control characters the scripts use as separators stay unambiguous.
/// </summary>
internal static class Wtf8
{
    public static byte[] Encode(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || IsWellFormed(text))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var bytes = new List<byte>(text.Length * 3);
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            Append(bytes, codePoint);
        }

        return [.. bytes];
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        // Only a lead byte 0xED can start an encoded surrogate; anything else is plain UTF-8.
        if (bytes.IndexOf((byte)0xED) < 0)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var decoded = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var lead = bytes[i];
            var (length, codePoint) = lead switch
            {
                < 0x80 => (1, lead),
                < 0xE0 => (2, lead & 0x1F),
                < 0xF0 => (3, lead & 0x0F),
                _ => (4, lead & 0x07),
            };
            if (i + length > bytes.Length)
            {
                throw new FormatException("Redis returned a truncated id.");
            }

            for (var next = 1; next < length; next++)
            {
                codePoint = (codePoint << 6) | (bytes[i + next] & 0x3F);
            }

            if (codePoint > 0xFFFF)
            {
                decoded.Append(char.ConvertFromUtf32(codePoint));
            }
            else
            {
                // A lone surrogate comes back as the char it was; char.ConvertFromUtf32 would refuse it.
                decoded.Append((char)codePoint);
            }

            i += length;
        }

        return decoded.ToString();
    }

    /// <summary>Whether every surrogate in a string is half of a pair.</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void Append(List<byte> bytes, int codePoint)
    {
        if (codePoint < 0x80)
        {
            bytes.Add((byte)codePoint);
        }
        else if (codePoint < 0x800)
        {
            bytes.Add((byte)(0xC0 | (codePoint >> 6)));
            bytes.Add((byte)(0x80 | (codePoint & 0x3F)));
        }
        else if (codePoint < 0x10000)
        {
            bytes.Add((byte)(0xE0 | (codePoint >> 12)));
            bytes.Add((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            bytes.Add((byte)(0x80 | (codePoint & 0x3F)));
        }
        else
        {
            bytes.Add((byte)(0xF0 | (codePoint >> 18)));
            bytes.Add((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
            bytes.Add((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            bytes.Add((byte)(0x80 | (codePoint & 0x3F)));
        }
    }
}
