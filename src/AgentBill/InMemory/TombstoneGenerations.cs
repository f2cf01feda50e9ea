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

        if (_current.IsEmpty && _older.IsEmpty)
        {
            return;
        }

        // Replaced, not cleared: clearing a day's table would stall the operation that happens to swap them. An
        // empty table is reused rather than made again.
        // A new table starts at the size the last window reached, so a steady load never pays for growing it.
        (_older, _current) = (_current, _older.IsEmpty ? _older : new Generation(_current.Count));
    }

    private sealed class Generation(int capacity = 0)
    {
        private readonly Dictionary<UInt128, Tombstone> _byNumber = new(capacity);
        private Dictionary<string, Tombstone>? _byText;

        public int Count => _byNumber.Count + (_byText?.Count ?? 0);

        public long HorizonTicks { get; private set; } = long.MinValue;

        public bool IsEmpty => _byNumber.Count == 0 && (_byText is null || _byText.Count == 0);

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
        {
            if (id.Length != 32)
            {
                return null;
            }

            UInt128 number = 0;
            foreach (var c in id)
            {
                var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : -1;
                if (digit < 0)
                {
                    return null;
                }

                number = (number << 4) | (uint)digit;
            }

            return number;
        }
    }
}
