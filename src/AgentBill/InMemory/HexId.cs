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
    public ulong Hash()
    {
        // MurmurHash3's 64-bit finalizer over both halves: every bit of the id moves the low bits (the table's
        // position) and the high bits (its fingerprint), so ids that differ anywhere spread.
        var x = High ^ ((Low << 31) | (Low >> 33)) ^ (Low * 0x9E3779B97F4A7C15UL);
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        return x ^ (x >> 33);
    }

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
