namespace AgentBill.SqlLedger;

/// <summary>
/// What the SQL stores do differently, and nothing else: how an operation locks the rows it decides on, and how it
/// counts activity (in one row per total where one writer runs at a time, in each customer's row where many do). SQLite runs one write transaction at a time on the whole file (<c>BEGIN IMMEDIATE</c>), so it
/// needs no row lock; PostgreSQL runs them side by side at <c>READ COMMITTED</c>, so an operation locks its own
/// customer's row (waiting), then the global budget's lock (waiting), and any other customer's row only when no one
/// holds it (<c>SKIP LOCKED</c>: that work is left for later), which is the order that cannot deadlock.
/// </summary>
internal sealed class SqlDialect
{
    /// <summary>Gets a query of one customer's row by <c>$1</c> that, where rows are locked, waits for and locks it; it reads no row for an unknown customer.</summary>
    public required string LockCustomer { get; init; }

    /// <summary>Gets a query of one customer's row by <c>$1</c> that, where rows are locked, locks it only if no one else holds it, else reads no row.</summary>
    public required string TryLockCustomer { get; init; }

    /// <summary>Gets the query of up to four customers due for housekeeping at <c>$1</c>: <c>customer, last_activity, holds</c>, skipping rows someone else holds.</summary>
    public required string DueCustomers { get; init; }

    /// <summary>Gets the statement that takes the lock of the global budgets for the rest of the transaction, or <see langword="null"/> where the whole ledger is locked already.</summary>
    public required string? LockGlobal { get; init; }

    /// <summary>Gets the statement that adds one to the activity total named <c>$1</c> for the customer <c>$2</c>.</summary>
    public required string CountActivity { get; init; }

    /// <summary>Gets the statement that keeps what a customer counted in the activity totals before its row <c>$1</c> is deleted, or <see langword="null"/> where the totals are not kept per customer.</summary>
    public required string? RetireCustomer { get; init; }

    /// <summary>Gets the query of the activity totals: <c>name, count</c> rows, one or more per name, summed by the reader.</summary>
    public required string ReadActivity { get; init; }
}
