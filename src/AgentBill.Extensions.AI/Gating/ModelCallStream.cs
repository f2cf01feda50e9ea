using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>What a gated stream holds, when the runner opens its ticket itself.</summary>
internal readonly record struct ModelCallRequest(ModelCallParties Parties, string? ModelId, TokenUsage Estimate);

/// <summary>
/// The runner of a gated stream, as <see cref="ContextRestoringAsyncEnumerable"/> drives it: holds when enumeration
/// starts (or takes the ticket a pending call opened while it ran), keeps the hold alive while the provider works on a
/// step and lets it expire while nobody reads, reads each item's usage, and settles or releases at the end.
/// </summary>
internal sealed class ModelCallStream<T, TItems> : IContextRestoringObserver<T>
    where TItems : IModelCallStreamItems<T>
{
    private readonly ModelCallGate _gate;
    private readonly ModelCallRequest? _request;
    private readonly PendingModelCall? _pending;
    private readonly TItems _items;
    private AgentBillAmbient _ambient;
    private ModelCallTicket? _ticket;
    private ModelCallKeepAlive _keepAlive;
    private List<T>? _received;
    private ModelCallStreamReading _reading;
    private bool _hasTrailer;
    private T _trailer;

    public ModelCallStream(ModelCallGate gate, AgentBillAmbient ambient, TItems items, ModelCallRequest request)
        : this(gate, ambient, items)
    {
        _request = request;
    }

    public ModelCallStream(ModelCallGate gate, AgentBillAmbient ambient, TItems items, PendingModelCall? pending)
        : this(gate, ambient, items)
    {
        _pending = pending;
    }

    private ModelCallStream(ModelCallGate gate, AgentBillAmbient ambient, TItems items)
    {
        _gate = gate;
        _ambient = ambient;
        _items = items;
        _keepAlive = ModelCallKeepAlive.Inactive;
        _trailer = default!;
    }

    public AgentBillAmbient Ambient => _ambient;

    public async ValueTask<bool> StartAsync(CancellationToken cancellationToken)
    {
        if (_request is not { } request)
        {
            return true;
        }

        try
        {
            _ticket = await _gate.OpenAsync(request.Parties, request.ModelId, request.Estimate, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal) when (_items.TryAnswer(refusal, out _trailer))
        {
            _hasTrailer = true;
            return false;
        }

        // Every step runs with the call in flight: a gate of the same meter further down covers it.
        if (!_ticket.IsCovered)
        {
            _ambient = _ambient.WithCall(_ticket);
        }

        _keepAlive = _gate.KeepAlive(_ticket);
        return true;
    }

    public void StepStarting() => KeepAlive.Resume();

    // The consumer holds the item now: a stream nobody reads lets its hold expire.
    public void StepEnded() => KeepAlive.Pause();

    public async ValueTask OnItemAsync(T item, CancellationToken cancellationToken)
    {
        (_received ??= []).Add(item);
        _items.Read(item, ref _reading);
        if (Ticket is { } ticket)
        {
            await _gate.KeepAliveAsync(ticket, cancellationToken).ConfigureAwait(false);
        }
    }

    public bool EndsStream(Exception error) => false;

    public async ValueTask EndAsync(ContextRestoringStreamEnd end)
    {
        if (_pending is null)
        {
            await _keepAlive.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _pending.StopKeepAliveAsync().ConfigureAwait(false);
        }

        if (Ticket is not { } ticket)
        {
            return;
        }

        // A stream that produced something, or was cancelled after it was sent, was paid for: it is settled at what
        // it reported, or the prompt plus what arrived. One that failed before any answer is released.
        var received = _received?.Count ?? 0;
        if (end.Completed || received > 0 || (end.Opened && end.Error is OperationCanceledException))
        {
            // A stream that just stops, with neither a finish reason nor usage, was cut off: a proxy closing the
            // connection between two chunks ends it as cleanly as the model would.
            var whole = end.Completed && (_reading.Finished || _reading.HasUsage);
            var settlement = await _gate.SettleAsync(ticket, Outcome(whole)).ConfigureAwait(false);
            if (end.Completed && !ticket.IsCovered)
            {
                _hasTrailer = _items.TryTrailer(settlement, out _trailer);
            }
        }
        else
        {
            await _gate.ReleaseAsync(ticket).ConfigureAwait(false);
        }
    }

    public bool TryTakeTrailer(out T item)
    {
        item = _trailer;
        if (!_hasTrailer)
        {
            return false;
        }

        _hasTrailer = false;
        _trailer = default!;
        return true;
    }

    private ModelCallTicket? Ticket => _pending is null ? _ticket : _pending.Ticket;

    private ModelCallKeepAlive KeepAlive => _pending is null ? _keepAlive : _pending.KeepAlive;

    /// <summary>What the stream came to; its output is read only when the usage may need checking against it.</summary>
    private ModelCallOutcome Outcome(bool completed)
    {
        var usage = _reading.Usage();
        var output = ModelUsage.NeedsProducedCount(usage, interrupted: !completed) ? _items.Output((IReadOnlyList<T>?)_received ?? []) : null;
        return completed ? ModelCallOutcome.Completed(usage, _reading.ModelId, output) : ModelCallOutcome.Interrupted(usage, _reading.ModelId, output);
    }
}
