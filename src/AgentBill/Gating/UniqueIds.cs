using System.Security.Cryptography;

namespace AgentBill;

/// <summary>
/// Reservation ids and automatic idempotency keys: a random 64-bit prefix per process and a counter, so ids
/// from different processes sharing a store never meet, and making one costs a single string.
/// </summary>
internal static class UniqueIds
{
    private static readonly ulong ProcessPrefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long _counter;

    public static string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(32, sequence, static (chars, value) =>
        {
            WriteHex(chars[..16], ProcessPrefix);
            WriteHex(chars[16..], value);
        });
    }

    // Sixteen fixed-width hex digits by hand: the general number formatter is a measurable part of a gated call.
    private static void WriteHex(Span<char> chars, ulong value)
    {
        const string Digits = "0123456789abcdef";
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Digits[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
