namespace AgentBill.InMemory;

/// <summary>
/// The settled holds one customer's book remembers for the idempotency window, so a replayed settle answers as the
/// first did. Two generations, each holding what was settled during about one window: the older one is emptied and
/// becomes the current one once everything it holds is past its forget time.
/// </summary>
/// <remarks>
/// Emptying a generation is O(1) and allocates nothing: every index entry carries the epoch it was written in, and
/// emptying moves the epoch on, so stale entries read as empty and are overwritten in place. A window's table is
/// neither rebuilt nor cleared wholesale when the window turns (a day's table can hold millions of settles); it grows
/// only while the load grows, and then keeps its size. About 56 bytes a settle plus 16 to 32 of index. Ids the client makes (32 lowercase hex digits) are kept as two numbers in the
/// table; any other id, which only a caller's own store calls make, goes to a small dictionary beside it.
/// </remarks>
internal sealed class SettledHolds
{
    private Generation _current = new();
    private Generation _older = new();

    public void Add(string reservationId, Tombstone tombstone) => _current.Add(reservationId, tombstone);

    public bool TryGet(string reservationId, DateTimeOffset now, out Tombstone tombstone)
    {
        var id = HexId.Parse(reservationId);
        var found = _current.TryGet(reservationId, id, out tombstone) || _older.TryGet(reservationId, id, out tombstone);
        return found && tombstone.ForgetAtTicks > now.UtcTicks;
    }

    public bool HasAnyAt(DateTimeOffset now) => _current.HasAnyAt(now) || _older.HasAnyAt(now);

    /// <summary>Turns the window when everything the older generation remembers is past its forget time.</summary>
    public void Forget(DateTimeOffset now)
    {
        if (now.UtcTicks < _older.HorizonTicks || (_current.IsEmpty && _older.IsEmpty))
        {
            return;
        }

        _older.Empty();
        (_older, _current) = (_current, _older);
    }

    private sealed class Generation
    {
        private const int FirstCapacity = 16;
        private const int PositionBits = 32;
        private const int FingerprintBits = 16;

        // The settles in the order they were made: written one after another, so remembering one touches memory the
        // processor already holds. The index beside them is a hash of 8-byte entries (the window's epoch, 16 bits of
        // the id's hash, the settle's position), small enough to stay in the processor's cache far longer than the
        // settles themselves, and looked up without reading a settle unless the 16 bits match.
        private Slot[] _slots = new Slot[FirstCapacity];
        private ulong[] _index = new ulong[FirstCapacity * 2];
        private ulong _epoch = 1;
        private int _count;
        private Dictionary<string, Tombstone>? _byText;

        public long HorizonTicks { get; private set; } = long.MinValue;

        public bool IsEmpty => _count == 0 && (_byText is null || _byText.Count == 0);

        public bool HasAnyAt(DateTimeOffset now) => !IsEmpty && HorizonTicks > now.UtcTicks;

        public void Add(string reservationId, Tombstone tombstone)
        {
            HorizonTicks = Math.Max(HorizonTicks, tombstone.ForgetAtTicks);
            if (HexId.Parse(reservationId) is not { } id)
            {
                (_byText ??= new(StringComparer.Ordinal))[reservationId] = tombstone;
                return;
            }

            ref var entry = ref Find(id, out var position);
            if (position >= 0)
            {
                _slots[position] = new Slot(id, tombstone);
                return;
            }

            if (_count == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            _slots[_count] = new Slot(id, tombstone);
            entry = Entry(id.Hash(), _count);
            _count++;
            if (_count * 2 > _index.Length)
            {
                // At most half full: an insert then looks at 2.5 entries on average (at three quarters, 8.5).
                GrowIndex();
            }
        }

        public bool TryGet(string reservationId, HexId? parsed, out Tombstone tombstone)
        {
            tombstone = default;
            if (parsed is not { } id)
            {
                return _byText?.TryGetValue(reservationId, out tombstone) == true;
            }

            Find(id, out var position);
            if (position < 0)
            {
                return false;
            }

            tombstone = _slots[position].Tombstone;
            return true;
        }

        /// <summary>Forgets everything at once: index entries of older epochs read as empty from now on.</summary>
        public void Empty()
        {
            _count = 0;
            _byText?.Clear();
            HorizonTicks = long.MinValue;
            if (++_epoch == 1UL << (64 - PositionBits - FingerprintBits))
            {
                // Once in 65,535 windows the epoch starts again, so the old marks must really go.
                Array.Clear(_index);
                _epoch = 1;
            }
        }

        /// <summary>The index entry that points at <paramref name="id"/> (its position set), or the empty one where it would go (position -1).</summary>
        private ref ulong Find(HexId id, out int position)
        {
            var hash = id.Hash();
            var fingerprint = Fingerprint(hash);
            var mask = _index.Length - 1;
            var at = (int)hash & mask;
            while (true)
            {
                ref var entry = ref _index[at];
                if (entry >> (PositionBits + FingerprintBits) != _epoch)
                {
                    position = -1;
                    return ref entry;
                }

                if (((entry >> PositionBits) & 0xFFFF) == fingerprint && _slots[(int)(uint)entry].Id == id)
                {
                    position = (int)(uint)entry;
                    return ref entry;
                }

                at = (at + 1) & mask;
            }
        }

        private ulong Entry(ulong hash, int position)
            => (_epoch << (PositionBits + FingerprintBits)) | (Fingerprint(hash) << PositionBits) | (uint)position;

        private static ulong Fingerprint(ulong hash) => hash >> (64 - FingerprintBits);

        private void GrowIndex()
        {
            _index = new ulong[_index.Length * 2];
            var mask = _index.Length - 1;
            for (var position = 0; position < _count; position++)
            {
                var hash = _slots[position].Id.Hash();
                var at = (int)hash & mask;
                while (_index[at] >> (PositionBits + FingerprintBits) == _epoch)
                {
                    at = (at + 1) & mask;
                }

                _index[at] = Entry(hash, position);
            }
        }
    }

    /// <summary>One remembered settle: 56 bytes, no references, so the collector never scans the table.</summary>
    private readonly record struct Slot(HexId Id, Tombstone Tombstone);
}
