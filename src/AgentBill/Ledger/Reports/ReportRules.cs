using System.Globalization;
using System.Text;
using AgentBill.Validation;

namespace AgentBill.Ledger;

/// <summary>
/// What every <see cref="IBudgetLedgerReports"/> store shares: its arguments' checks, the refusal log's size, and the
/// cursors of usage rows and budgets, which name the last item of a page so a store reads on from it in its order.
/// </summary>
public static class ReportRules
{
    /// <summary>
    /// How many refusals a store keeps per customer: the newest this many, older ones are dropped in the same step
    /// that records a new one.
    /// </summary>
    public const int RefusalsKeptPerCustomer = 50;

    private const char Separator = '\0';
    private const string RowTag = "u1";
    private const string BudgetTag = "b1";

    /// <summary>Checks a report's query and returns it with its customer id in its one stored form.</summary>
    /// <param name="query">The query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A filter is not a valid id, kind, meter or period name.</exception>
    public static UsageReportQuery Check(UsageReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Kind is { } kind)
        {
            Guard.Defined(kind, "query.Kind");
        }

        if (query.Meter is { } meter)
        {
            Guard.Defined(meter, "query.Meter");
        }

        if (query.PeriodKey is { } period)
        {
            try
            {
                PeriodKeys.KindOf(period);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException(ex.Message, "query.PeriodKey");
            }
        }

        return query.CustomerId is null ? query : query with { CustomerId = Guard.Id(query.CustomerId, "query.CustomerId") };
    }

    /// <summary>Checks an optional customer id and returns it in its one stored form.</summary>
    /// <param name="customerId">The id, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The id is not valid.</exception>
    public static string? CheckCustomer(string? customerId) => Guard.OptionalId(customerId, nameof(customerId));

    /// <summary>Checks a page size: from 1 to <see cref="OpenHoldPage.MaxLimit"/>.</summary>
    /// <param name="limit">The page size.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range.</exception>
    public static int CheckLimit(int limit) => Guard.PageLimit(limit, nameof(limit));

    /// <summary>Whether a row passes a (checked) query's filters.</summary>
    /// <param name="query">The query.</param>
    /// <param name="key">The row's scope and meter.</param>
    /// <param name="periodKey">The row's period.</param>
    public static bool Matches(UsageReportQuery query, BudgetKey key, string periodKey)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (query.CustomerId is null || string.Equals(query.CustomerId, key.Scope.CustomerId, StringComparison.Ordinal))
            && (query.Kind is null || query.Kind == key.Scope.Kind)
            && (query.Meter is null || query.Meter == key.Meter)
            && (query.PeriodKey is null || string.Equals(query.PeriodKey, periodKey, StringComparison.Ordinal));
    }

    /// <summary>
    /// Orders scopes the way every report lists them: global first, then by customer, kind, name and meter, texts by
    /// ordinal.
    /// </summary>
    /// <param name="x">A key.</param>
    /// <param name="y">Another key.</param>
    public static int Compare(BudgetKey x, BudgetKey y)
    {
        var order = string.CompareOrdinal(x.Scope.CustomerId ?? string.Empty, y.Scope.CustomerId ?? string.Empty);
        if (order == 0)
        {
            order = ((int)x.Scope.Kind).CompareTo((int)y.Scope.Kind);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(x.Scope.Name ?? string.Empty, y.Scope.Name ?? string.Empty);
        }

        return order != 0 ? order : ((int)x.Meter).CompareTo((int)y.Meter);
    }

    /// <summary>Orders usage rows: by <see cref="Compare(BudgetKey, BudgetKey)"/>, then by period name.</summary>
    /// <param name="x">A row.</param>
    /// <param name="y">Another row.</param>
    public static int Compare(UsageReportRow x, UsageReportRow y)
    {
        var order = Compare(x.Key, y.Key);
        return order != 0 ? order : string.CompareOrdinal(x.PeriodKey, y.PeriodKey);
    }

    /// <summary>The cursor that reads on after a row.</summary>
    /// <param name="row">The last row of a page.</param>
    public static string RowCursor(UsageReportRow row) => Encode(RowTag, row.Key, row.PeriodKey);

    /// <summary>The row position a cursor names (its units zero).</summary>
    /// <param name="cursor">A cursor from <see cref="RowCursor"/>.</param>
    /// <exception cref="ArgumentException">The text is not such a cursor.</exception>
    public static UsageReportRow ParseRowCursor(string cursor)
    {
        var (key, period) = Decode(RowTag, cursor);
        return new UsageReportRow(key, period!, 0, 0);
    }

    /// <summary>The cursor that reads on after a budget.</summary>
    /// <param name="key">The last budget of a page.</param>
    public static string BudgetCursor(BudgetKey key) => Encode(BudgetTag, key, null);

    /// <summary>The budget position a cursor names.</summary>
    /// <param name="cursor">A cursor from <see cref="BudgetCursor"/>.</param>
    /// <exception cref="ArgumentException">The text is not such a cursor.</exception>
    public static BudgetKey ParseBudgetCursor(string cursor) => Decode(BudgetTag, cursor).Key;

    /// <summary>The exception every store throws for a cursor it did not make.</summary>
    /// <param name="cursor">The cursor.</param>
    /// <param name="why">What is wrong with it.</param>
    public static ArgumentException BadCursor(string cursor, string why)
        => new($"'{nameof(cursor)}' ('{cursor}') is not a cursor of this report: {why}.", nameof(cursor));

    private static string Encode(string tag, BudgetKey key, string? period)
    {
        var text = string.Join(
            Separator,
            tag,
            key.Scope.CustomerId ?? string.Empty,
            ((int)key.Scope.Kind).ToString(CultureInfo.InvariantCulture),
            key.Scope.Name ?? string.Empty,
            ((int)key.Meter).ToString(CultureInfo.InvariantCulture),
            period ?? string.Empty);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (BudgetKey Key, string? Period) Decode(string tag, string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        string[] parts;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            parts = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64)).Split(Separator);
        }
        catch (FormatException)
        {
            throw BadCursor(cursor, "not base64url text");
        }
        catch (ArgumentException)
        {
            throw BadCursor(cursor, "not UTF-8 text");
        }

        if (parts.Length != 6 || parts[0] != tag
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var kind) || !Enum.IsDefined((BudgetScopeKind)kind)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var meter) || !Enum.IsDefined((UsageMeter)meter))
        {
            throw BadCursor(cursor, "unknown layout");
        }

        var scope = (BudgetScopeKind)kind switch
        {
            BudgetScopeKind.Global => BudgetScope.Global,
            BudgetScopeKind.Customer => BudgetScope.Trusted(BudgetScopeKind.Customer, parts[1], null),
            var other => BudgetScope.Trusted(other, parts[1], parts[3]),
        };
        if ((scope.Kind == BudgetScopeKind.Global) != (parts[1].Length == 0))
        {
            throw BadCursor(cursor, "unknown layout");
        }

        if (tag == BudgetTag && parts[5].Length != 0)
        {
            throw BadCursor(cursor, "unknown layout");
        }

        return (new BudgetKey(scope, (UsageMeter)meter), tag == RowTag ? parts[5] : null);
    }
}
