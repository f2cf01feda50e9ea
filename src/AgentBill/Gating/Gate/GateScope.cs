using System.ComponentModel;

namespace AgentBill;

/// <summary>
/// One gated call in flight, as the <c>[Gate]</c> interceptors drive it: entered (the estimate is held),
/// begun (the body can report usage), then completed (the report or the estimate is recorded) or disposed
/// uncompleted (the body threw or was cancelled: the hold is released). Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GateScope : IAsyncDisposable, IDisposable
{
    private readonly Reservation _reservation;
    private AgentBillContext? _context;
    private object? _previous;
    private bool _begun;
    private bool _completed;

    private GateScope(Reservation reservation) => _reservation = reservation;

    /// <summary>
    /// Gets the context the body runs in: the gate's customer, task, agent and hold, inside the context the call was
    /// made in, so calls in the body are charged to the gate's parties. Made the first time anything asks for it.
    /// </summary>
    internal AgentBillContext Context
    {
        get
        {
            var context = Volatile.Read(ref _context);
            return context ?? Interlocked.CompareExchange(ref _context, AgentBillContext.ForGate(_reservation.Context, _reservation, this), null) ?? _context!;
        }
    }

    /// <summary>Gets the hold behind this call.</summary>
    public Reservation Reservation => _reservation;

    internal long? ReportedUnits { get; set; }

    /// <summary>
    /// The units to commit: the body's report, else what the calls inside it charged to the same customer and meter,
    /// else the estimate; less what those calls already charged, so nothing is charged twice.
    /// </summary>
    private long UnitsToCommit()
    {
        var covered = Volatile.Read(ref _context)?.CoveredUnits ?? 0;
        var used = ReportedUnits ?? (covered > 0 ? covered : _reservation.Result.EstimatedUnits);
        return Math.Max(0, used - covered);
    }

    /// <summary>
    /// Holds the estimate; throws <see cref="CeilingExceededException"/> or <see cref="BudgetExhaustedException"/> when
    /// refused. A request that names no customer or task takes them from the current <see cref="AgentBillContext"/>.
    /// </summary>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public static ValueTask<GateScope> EnterAsync(IAgentBill bill, PreflightRequest request, CancellationToken cancellationToken = default)
    {
        if (bill is null)
        {
            return ValueTask.FromException<GateScope>(new ArgumentNullException(nameof(bill)));
        }

        // A store that answers at once (in memory) enters without an async state machine.
        var reserving = bill.ReserveAsync(request, cancellationToken);
        return reserving.IsCompletedSuccessfully ? new(new GateScope(reserving.Result)) : EnterPendingAsync(reserving);
    }

    private static async ValueTask<GateScope> EnterPendingAsync(ValueTask<Reservation> reserving)
        => new(await reserving.ConfigureAwait(false));

    /// <summary>
    /// Holds the estimate for a synchronous gated method. The in-memory store answers at once; a remote store
    /// blocks the calling thread for its round trip, as any synchronous call to it must.
    /// </summary>
    /// <param name="bill">The client.</param>
    /// <param name="request">The gate's preflight.</param>
    public static GateScope Enter(IAgentBill bill, PreflightRequest request)
    {
        var entering = EnterAsync(bill, request);
        return entering.IsCompletedSuccessfully ? entering.Result : entering.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Makes this call's <see cref="AgentBillContext"/> current, so <see cref="GateUsage"/> reports to it and the calls
    /// inside it are charged to its parties, in the caller's execution context. Called
    /// right before the body runs (and before each step of a stream, whose steps run in the consumer's context).
    /// </summary>
    public void Begin()
    {
        var previous = AgentBillContext.Swap(this);
        if (!_begun)
        {
            _previous = previous;
            _begun = true;
        }
    }

    /// <summary>Records the reported usage, or the estimate without a report.</summary>
    /// <param name="cancellationToken">The gated method's token, when it has one.</param>
    public ValueTask<RecordResult> CompleteAsync(CancellationToken cancellationToken = default)
    {
        End();
        _completed = true;
        return _reservation.CommitAsync(UnitsToCommit(), cancellationToken);
    }

    /// <summary>Records the reported usage, or the estimate, for a synchronous gated method.</summary>
    public RecordResult Complete()
    {
        var completing = CompleteAsync();
        return completing.IsCompletedSuccessfully ? completing.Result : completing.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Releases the hold when the call did not complete.</summary>
    public ValueTask DisposeAsync()
    {
        End();
        return _completed ? default : _reservation.DisposeAsync();
    }

    /// <summary>Releases the hold when a synchronous call did not complete.</summary>
    public void Dispose()
    {
        var disposing = DisposeAsync();
        if (!disposing.IsCompletedSuccessfully)
        {
            disposing.AsTask().GetAwaiter().GetResult();
        }
    }

    private void End()
    {
        if (_begun)
        {
            AgentBillContext.Swap(_previous);
            _begun = false;
        }
    }
}
