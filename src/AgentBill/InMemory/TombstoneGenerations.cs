namespace AgentBill.InMemory;

/// <summary>
/// Settled holds remembered for replays, in two generations: when every entry of the older generation has
/// passed its forget time the older one is dropped whole and the current one becomes older. Memory stays
/// within two windows of settles, with no per-entry queue to maintain.
/// </summary>
internal sealed class TombstoneGenerations
{
    private Dictionary<string, Tombstone> _current = new(StringComparer.Ordinal);
    private Dictionary<string, Tombstone> _older = new(StringComparer.Ordinal);
    private DateTimeOffset _currentHorizon = DateTimeOffset.MinValue;
    private DateTimeOffset _olderHorizon = DateTimeOffset.MinValue;

    public void Add(string reservationId, Tombstone tombstone)
    {
        _current[reservationId] = tombstone;
        if (tombstone.ForgetAt > _currentHorizon)
        {
            _currentHorizon = tombstone.ForgetAt;
        }
    }

    public bool TryGet(string reservationId, DateTimeOffset now, out Tombstone tombstone)
    {
        var found = _current.TryGetValue(reservationId, out tombstone!) || _older.TryGetValue(reservationId, out tombstone!);
        return found && tombstone.ForgetAt > now;
    }

    /// <summary>Whether any settled hold is still remembered at <paramref name="now"/>.</summary>
    public bool HasAnyAt(DateTimeOffset now) => (_current.Count > 0 && _currentHorizon > now) || (_older.Count > 0 && _olderHorizon > now);

    public void Forget(DateTimeOffset now)
    {
        if (now < _olderHorizon)
        {
            return;
        }

        (_older, _current) = (_current, _older);
        _current.Clear();
        _olderHorizon = _currentHorizon;
        _currentHorizon = DateTimeOffset.MinValue;
    }
}
