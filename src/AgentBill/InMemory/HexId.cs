namespace AgentBill.InMemory;

/// <summary>
/// A reservation id of exactly 32 lowercase hex digits (the form the client makes) as two numbers: one to one with
/// its text, so two different ids never share a number (upper-case digits are not accepted for that reason).
/// </summary>
internal readonly record struct HexId(ulong High, ulong Low)
{
    private const int Digits = 32;

    /// <summary>The id as numbers, or <see langword="null"/> when it is not of the client's form.</summary>
    public static HexId? Parse(string id)
    {
        if (id.Length != Digits || !TryParseHalf(id.AsSpan(0, Digits / 2), out var high) || !TryParseHalf(id.AsSpan(Digits / 2), out var low))
        {
            return null;
        }

        return new HexId(high, low);
    }

    /// <summary>A well-mixed hash: ids are random in practice, but a caller may choose its own.</summary>
    public ulong Hash() => (High ^ (Low * 0x9E3779B97F4A7C15UL)) * 0xC2B2AE3D27D4EB4FUL >> 17;

    private static bool TryParseHalf(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            uint digit = c;
            if (digit - '0' <= 9)
            {
                digit -= '0';
            }
            else if (digit - 'a' <= 5)
            {
                digit -= 'a' - 10;
            }
            else
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
