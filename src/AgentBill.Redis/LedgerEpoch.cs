using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// What this process knows of the ledger's epoch, '<c>generation:random</c>': read (or, for a new ledger, written
/// with generation 0) at the first call, and sent with every script, which compares it with its slot's marker. On
/// Redis Cluster a slot's marker is written by the first script there; the process remembers which slots it has
/// seen one in, since only there does a missing marker prove a loss. An operator's acknowledgement writes a newer
/// generation (the server's time in milliseconds), which every process adopts when a script finds it. With
/// <see cref="RedisLedgerOptions.CreateLedgerOnFirstUse"/> off, a missing epoch key is never written here: the ledger
/// was never initialized (<see cref="RedisBudgetLedger.InitializeAsync"/>) or its data was lost, and the read refuses.
/// </summary>
internal sealed class LedgerEpoch(RedisKeys keys, bool createOnFirstUse = true)
{
    private const string LostSuffix = ":lost";

    private readonly long[] _seen = new long[RedisSlots.Count / 64];
    private readonly SemaphoreSlim _reading = new(1, 1);
    private string? _epoch;

    /// <summary>The epoch to send; read from the server the first time.</summary>
    public async ValueTask<string> CurrentAsync(IDatabaseAsync database)
        => Volatile.Read(ref _epoch) ?? await ReadAsync(database, adoptNewerOnly: false).ConfigureAwait(false);

    /// <summary>After a script found a newer epoch: adopts the epoch key's when it is newer than ours, else the data was lost.</summary>
    /// <exception cref="LedgerDataLostException">The epoch key holds no newer epoch.</exception>
    public async ValueTask RefreshAsync(IDatabaseAsync database)
    {
        var before = Volatile.Read(ref _epoch);
        var after = await ReadAsync(database, adoptNewerOnly: true).ConfigureAwait(false);
        if (before is not null && after == before)
        {
            throw RedisLoss.Lost();
        }
    }

    /// <summary>Adopts an epoch this process wrote itself (an acknowledgement).</summary>
    public void Adopt(string epoch) => Volatile.Write(ref _epoch, epoch);

    public bool HasSeen(int slot) => (Volatile.Read(ref _seen[slot >> 6]) & (1L << (slot & 63))) != 0;

    public void MarkSeen(int slot)
    {
        if (!HasSeen(slot))
        {
            Interlocked.Or(ref _seen[slot >> 6], 1L << (slot & 63));
        }
    }

    /// <summary>A new epoch for an acknowledgement at the server's time.</summary>
    public static string Next(long serverMilliseconds) => serverMilliseconds.ToString(CultureInfo.InvariantCulture) + ":" + Random();

    /// <summary>The epoch of a ledger created now: generation 0.</summary>
    public static string New() => "0:" + Random();

    private async ValueTask<string> ReadAsync(IDatabaseAsync database, bool adoptNewerOnly)
    {
        await _reading.WaitAsync().ConfigureAwait(false);
        try
        {
            var stored = (string?)await database.StringGetAsync(keys.Epoch).ConfigureAwait(false);
            if (stored is null)
            {
                // A ledger that never had an epoch: generation 0. (One whose epoch key was lost while this process
                // knew it keeps the one it knows, and its scripts find the markers that disagree.)
                if (adoptNewerOnly && _epoch is not null)
                {
                    return _epoch;
                }

                if (!createOnFirstUse)
                {
                    throw RedisLoss.Missing();
                }

                await database.StringSetAsync(keys.Epoch, New(), when: When.NotExists).ConfigureAwait(false);
                stored = (string?)await database.StringGetAsync(keys.Epoch).ConfigureAwait(false)
                    ?? throw new AgentBillUnavailableException("Redis lost the ledger's epoch key as it was written.");
            }

            if (stored.EndsWith(LostSuffix, StringComparison.Ordinal))
            {
                throw RedisLoss.Lost();
            }

            if (!adoptNewerOnly || _epoch is null || Generation(stored) > Generation(_epoch))
            {
                Volatile.Write(ref _epoch, stored);
            }

            return _epoch!;
        }
        finally
        {
            _reading.Release();
        }
    }

    private static long Generation(string epoch) => long.Parse(epoch.AsSpan(0, epoch.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
