using System.Collections.Concurrent;

namespace AgentBill.InMemory;

/// <summary>
/// Customers whose books may have fallen idle, in the order they become due. Every operation looks at a few due
/// books on its way in and drops those that hold only usage older than the retention, so memory is given back
/// without a timer and no operation does more than a bounded amount of this work.
/// </summary>
internal sealed class IdleBookQueue
{
    /// <summary>How many due books one operation looks at: more than it can add, so the queue drains.</summary>
    private const int BooksPerOperation = 4;

    private readonly ConcurrentQueue<(CustomerBook Book, DateTimeOffset DueAt)> _queue = new();

    /// <summary>Queues a book whose last activity was just now, unless it waits already. Caller holds the book's lock.</summary>
    public void Watch(CustomerBook book, DateTimeOffset now, TimeSpan retention)
    {
        if (!book.InIdleQueue)
        {
            book.InIdleQueue = true;
            _queue.Enqueue((book, Due(now, retention)));
        }
    }

    /// <summary>Looks at the few books due at <paramref name="now"/>: drops the idle ones, queues the others again for when they may be.</summary>
    public void Trim(ConcurrentDictionary<string, CustomerBook> books, DateTimeOffset now, TimeSpan retention)
    {
        for (var i = 0; i < BooksPerOperation && _queue.TryPeek(out var head) && head.DueAt <= now; i++)
        {
            if (!_queue.TryDequeue(out var due))
            {
                return;
            }

            lock (due.Book)
            {
                if (due.Book.Removed)
                {
                    continue;
                }

                if (now - due.Book.LastActivity >= retention && due.Book.HoldsOnlyUsage(now))
                {
                    due.Book.Removed = true;
                    books.TryRemove(new KeyValuePair<string, CustomerBook>(due.Book.CustomerId, due.Book));
                }
                else
                {
                    // Active since, or kept by a budget, a hold or an answer: look again one retention after its last activity.
                    var activeSince = Due(due.Book.LastActivity, retention) > now ? due.Book.LastActivity : now;
                    _queue.Enqueue((due.Book, Due(activeSince, retention)));
                }
            }
        }
    }

    private static DateTimeOffset Due(DateTimeOffset from, TimeSpan retention)
        => DateTimeOffset.MaxValue - from <= retention ? DateTimeOffset.MaxValue : from + retention;
}
