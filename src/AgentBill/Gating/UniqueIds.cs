using System.Security.Cryptography;

namespace AgentBill;

/// <summary>
/// Reservation ids and automatic idempotency keys: 128 random bits each, written as 32 hex digits. Nobody can guess
/// the next one from the ones they saw, so no caller can settle, replay or block a hold or record it did not make.
/// </summary>
/// <remarks>
/// The random bytes come from the operating system's generator in batches, one batch per thread, so an id costs
/// a copy and a string rather than a system call.
/// </remarks>
internal static class UniqueIds
{
    private const int IdBytes = 16;
    private const int IdsPerBatch = 64;

    [ThreadStatic]
    private static byte[]? _batch;

    [ThreadStatic]
    private static int _next;

    public static string Next()
    {
        var batch = _batch ??= new byte[IdBytes * IdsPerBatch];
        if (_next == 0)
        {
            RandomNumberGenerator.Fill(batch);
        }

        var offset = _next * IdBytes;
        _next = (_next + 1) % IdsPerBatch;
        var id = string.Create(IdBytes * 2, (batch, offset), static (chars, state) =>
        {
            const string Digits = "0123456789abcdef";
            for (var i = 0; i < IdBytes; i++)
            {
                var b = state.batch[state.offset + i];
                chars[2 * i] = Digits[b >> 4];
                chars[(2 * i) + 1] = Digits[b & 0xF];
            }
        });
        // A used id's bytes never serve twice.
        Array.Clear(batch, offset, IdBytes);
        return id;
    }
}
