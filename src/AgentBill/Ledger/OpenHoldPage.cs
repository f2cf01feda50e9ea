namespace AgentBill.Ledger;

/// <summary>One page of a customer's open holds.</summary>
/// <param name="Holds">The holds of the page.</param>
/// <param name="NextCursor">What to pass for the next page, or <see langword="null"/> when this page is the last.</param>
public sealed record OpenHoldPage(IReadOnlyList<OpenHold> Holds, string? NextCursor)
{
    /// <summary>The largest page a store returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// Pages holds by an ordinal order of one text per hold (the cursor is the last page's last text): for a store
    /// that keeps its holds in memory.
    /// </summary>
    /// <param name="holds">Every open hold.</param>
    /// <param name="orderOf">The text that orders a hold; distinct per hold.</param>
    /// <param name="cursor">The previous page's cursor, or <see langword="null"/>.</param>
    /// <param name="limit">The most holds to return.</param>
    public static OpenHoldPage ByOrder(IEnumerable<OpenHold> holds, Func<OpenHold, string> orderOf, string? cursor, int limit)
    {
        ArgumentNullException.ThrowIfNull(orderOf);
        var page = holds
            .Where(hold => cursor is null || string.CompareOrdinal(orderOf(hold), cursor) > 0)
            .OrderBy(orderOf, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        if (page.Count <= limit)
        {
            return new OpenHoldPage(page, null);
        }

        page.RemoveAt(limit);
        return new OpenHoldPage(page, orderOf(page[^1]));
    }
}
