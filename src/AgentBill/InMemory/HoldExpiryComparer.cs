namespace AgentBill.InMemory;

/// <summary>Orders a book's holds by expiry, then by when they were made, so every hold has one place.</summary>
internal sealed class HoldExpiryComparer : IComparer<Hold>
{
    public static HoldExpiryComparer Instance { get; } = new();

    public int Compare(Hold? x, Hold? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        var byExpiry = x!.ExpiresAt.CompareTo(y!.ExpiresAt);
        return byExpiry != 0 ? byExpiry : x.Sequence.CompareTo(y.Sequence);
    }
}
