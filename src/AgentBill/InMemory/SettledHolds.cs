namespace AgentBill.InMemory;

/// <summary>
/// The settled holds one customer's book remembers for the idempotency window, so a replayed settle answers as the
/// first did. Two generations, each holding what was settled during about one window: the older one is emptied and
/// becomes the current one once everything it holds is past its forget time.
/// </summary>
/// <remarks>
/// Emptying a generation is O(1) and allocates nothing: every slot carries the generation's epoch it was written in,
/// and emptying moves the epoch on, so the stale slots read as empty and are overwritten in place. A window's table
/// is neither rebuilt nor cleared wholesale when the window turns (a day's table can hold millions of settles); it
/// grows only while the load grows. Ids the client makes (32 lowercase hex digits) are kept as two numbers in the
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

        private Slot[] _slots = new Slot[FirstCapacity];
        private uint _epoch = 1;
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

            // At most half full: an insert then looks at 2.5 slots on average (at three quarters, 8.5).
            if ((_count + 1) * 2 > _slots.Length)
            {
                Grow();
            }

            ref var slot = ref Find(_slots, _epoch, id);
            if (slot.Epoch != _epoch)
            {
                _count++;
            }

            slot = new Slot(id, _epoch, tombstone);
        }

        public bool TryGet(string reservationId, HexId? parsed, out Tombstone tombstone)
        {
            tombstone = default;
            if (parsed is not { } id)
            {
                return _byText?.TryGetValue(reservationId, out tombstone) == true;
            }

            ref var slot = ref Find(_slots, _epoch, id);
            if (slot.Epoch != _epoch)
            {
                return false;
            }

            tombstone = slot.Tombstone;
            return true;
        }

        /// <summary>Forgets everything at once: the slots of older epochs read as empty from now on.</summary>
        public void Empty()
        {
            _count = 0;
            _byText?.Clear();
            HorizonTicks = long.MinValue;
            if (++_epoch == 0)
            {
                // Once in four billion windows: the epoch starts again, so the old marks must really go.
                Array.Clear(_slots);
                _epoch = 1;
            }
        }

        private void Grow()
        {
            var grown = new Slot[_slots.Length * 2];
            foreach (var slot in _slots)
            {
                if (slot.Epoch == _epoch)
                {
                    Find(grown, _epoch, slot.Id) = slot;
                }
            }

            _slots = grown;
        }

        /// <summary>The slot that holds <paramref name="id"/> in this epoch, or the empty one where it would go (linear probing).</summary>
        private static ref Slot Find(Slot[] slots, uint epoch, HexId id)
        {
            var mask = slots.Length - 1;
            var index = (int)id.Hash() & mask;
            while (true)
            {
                ref var slot = ref slots[index];
                if (slot.Epoch != epoch || slot.Id == id)
                {
                    return ref slot;
                }

                index = (index + 1) & mask;
            }
        }
    }

    /// <summary>One remembered settle: 64 bytes, no references, so the collector never scans the table.</summary>
    private readonly record struct Slot(HexId Id, uint Epoch, Tombstone Tombstone);
}
