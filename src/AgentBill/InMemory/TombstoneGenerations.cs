using System.Globalization;

namespace AgentBill.InMemory;

/// <summary>
/// Settled holds remembered for replays, in two generations: when every entry of the older generation has passed
/// its forget time the older one is dropped whole and the current one becomes older. Memory stays within two
/// windows of settles, with no per-entry queue to maintain. Ids the client made (32 hex digits) are kept as
/// 128-bit numbers, so the tables hold no references for the collector to follow; any other id is kept as given.
/// </summary>
internal sealed class TombstoneGenerations
{
    private Generation _current = new();
    private Generation _older = new();

    public void Add(string reservationId, Tombstone tombstone) => _current.Add(reservationId, tombstone);

    public bool TryGet(string reservationId, DateTimeOffset now, out Tombstone tombstone)
    {
        var found = _current.TryGet(reservationId, out tombstone) || _older.TryGet(reservationId, out tombstone);
        return found && tombstone.ForgetAtTicks > now.UtcTicks;
    }

    /// <summary>Whether any settled hold is still remembered at <paramref name="now"/>.</summary>
    public bool HasAnyAt(DateTimeOffset now) => _current.HasAnyAt(now) || _older.HasAnyAt(now);

    public void Forget(DateTimeOffset now)
    {
        if (now.UtcTicks < _older.HorizonTicks)
        {
            return;
        }

        // Replaced, not cleared: clearing a day's table would stall the operation that happens to swap them.
        _older = _current;
        _current = new Generation();
    }

    private sealed class Generation
    {
        private readonly Dictionary<UInt128, Tombstone> _byNumber = [];
        private Dictionary<string, Tombstone>? _byText;

        public long HorizonTicks { get; private set; } = long.MinValue;

        public void Add(string reservationId, Tombstone tombstone)
        {
            if (Number(reservationId) is { } number)
            {
                _byNumber[number] = tombstone;
            }
            else
            {
                (_byText ??= new(StringComparer.Ordinal))[reservationId] = tombstone;
            }

            HorizonTicks = Math.Max(HorizonTicks, tombstone.ForgetAtTicks);
        }

        public bool TryGet(string reservationId, out Tombstone tombstone)
        {
            tombstone = default;
            return Number(reservationId) is { } number ? _byNumber.TryGetValue(number, out tombstone) : _byText?.TryGetValue(reservationId, out tombstone) == true;
        }

        public bool HasAnyAt(DateTimeOffset now) => (_byNumber.Count > 0 || _byText?.Count > 0) && HorizonTicks > now.UtcTicks;

        /// <summary>The 128-bit value of an id made of exactly 32 lowercase hex digits (the client's), else <see langword="null"/>.</summary>
        private static UInt128? Number(string id)
            => id.Length == 32 && !id.AsSpan().ContainsAnyExcept("0123456789abcdef")
                && UInt128.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
                ? number
                : null;
    }
}
