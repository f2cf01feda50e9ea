namespace AgentBill.InMemory;

/// <summary>
/// A book's open holds ordered by expiry (then by when they were made, so every hold has one place): a binary
/// min-heap in an array where each hold knows its position. Adding, removing and re-keying a hold allocate
/// nothing, and the usual life of a hold costs no reordering at all: every hold of one TTL expires after all
/// the holds before it, so it enters at the bottom and, settled soon after, leaves from there.
/// </summary>
internal sealed class HoldExpiryQueue
{
    private Hold[] _heap = new Hold[4];

    public int Count { get; private set; }

    /// <summary>Gets the hold that expires first; only when <see cref="Count"/> is positive.</summary>
    public Hold Min => _heap[0];

    public void Add(Hold hold)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, Count * 2);
        }

        Place(hold, Count++);
        SiftUp(hold.QueuePosition);
    }

    public void Remove(Hold hold)
    {
        var position = hold.QueuePosition;
        hold.QueuePosition = -1;
        var last = _heap[--Count];
        _heap[Count] = null!;
        if (position == Count)
        {
            return;
        }

        Place(last, position);
        SiftUp(position);
        SiftDown(last.QueuePosition);
    }

    /// <summary>Moves a hold to its place after its expiry changed.</summary>
    public void Reorder(Hold hold)
    {
        SiftUp(hold.QueuePosition);
        SiftDown(hold.QueuePosition);
    }

    private static bool Before(Hold x, Hold y)
    {
        var byExpiry = x.ExpiresAt.CompareTo(y.ExpiresAt);
        return byExpiry != 0 ? byExpiry < 0 : x.Sequence < y.Sequence;
    }

    private void SiftUp(int position)
    {
        var hold = _heap[position];
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (!Before(hold, _heap[parent]))
            {
                break;
            }

            Place(_heap[parent], position);
            position = parent;
        }

        Place(hold, position);
    }

    private void SiftDown(int position)
    {
        var hold = _heap[position];
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Before(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Before(_heap[child], hold))
            {
                break;
            }

            Place(_heap[child], position);
            position = child;
        }

        Place(hold, position);
    }

    private void Place(Hold hold, int position)
    {
        _heap[position] = hold;
        hold.QueuePosition = position;
    }
}
