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
            ProcessPrefix.TryFormat(chars, out _, "x16");
            value.TryFormat(chars[16..], out _, "x16");
        });
    }
}
