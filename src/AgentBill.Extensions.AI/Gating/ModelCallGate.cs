using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The preflight → hold → settle cycle every model call goes through, shared by the chat and embedding gates:
/// price the estimate, hold it (refusals throw before the provider is called), then settle the real usage, or
/// release the hold when the call failed before producing anything.
/// </summary>
internal sealed class ModelCallGate : IDisposable
{
    private readonly IAgentBill _bill;
    private readonly AgentBillGateOptions _options;
    private readonly string _operation;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ModelCallTelemetry _telemetry;

    public ModelCallGate(IAgentBill bill, AgentBillGateOptions options, string operation, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        _bill = bill;
        _options = options;
        _operation = operation;
        _logger = logger ?? NullLogger.Instance;
        _time = options.TimeProvider ?? timeProvider ?? TimeProvider.System;
        _telemetry = new ModelCallTelemetry(meterFactory);
    }

    public UsageMeter Meter => _options.Meter;

    /// <summary>Prices the estimate and holds it.</summary>
    /// <exception cref="UnknownModelException">The gate counts money and the model has no price.</exception>
    /// <exception cref="CeilingExceededException">The estimate is above a ceiling.</exception>
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate.</exception>
    public async ValueTask<GateTicket> OpenAsync(CallParties parties, string? modelId, TokenUsage estimate, CancellationToken cancellationToken)
    {
        ModelPriceMatch? price = null;
        if (Meter == UsageMeter.MicroUsd)
        {
            price = _options.Pricing.Find(modelId) ?? throw RefuseUnknownModel(parties, modelId);
        }

        var request = new PreflightRequest(parties.AgentId)
        {
            EstimatedUnits = UnitsOf(estimate, price),
            CustomerId = parties.CustomerId,
            TaskRef = parties.TaskRef,
            Meter = Meter,
            Ceiling = _options.Ceiling,
            Ttl = _options.ReservationTtl,
        };
        var openedAt = _time.GetUtcNow();
        var reservation = await _bill.ReserveAsync(request, cancellationToken).ConfigureAwait(false);
        return new GateTicket(reservation, parties, modelId, estimate, price, reservation.ExpiresAt - openedAt);
    }

    /// <summary>
    /// Charges the real usage (the estimate where the provider reported none). Never throws: a record that fails
    /// after the core client's retries is logged, counted and flagged, and the caller keeps the provider's response.
    /// </summary>
    public async ValueTask<Settlement> SettleAsync(GateTicket ticket, UsageDetails? usage, string? reportedModelId)
    {
        var actual = UsageReading.Read(usage, ticket.Estimate, out var isEstimated);
        var units = UnitsOf(actual, PriceAt(ticket, reportedModelId));
        var tags = Tags(ticket.Parties);
        if (isEstimated)
        {
            _telemetry.UsageEstimated.Add(1, tags);
            Log.UsageEstimated(_logger, _operation, ticket.Parties.AgentId, units, Meter);
        }

        var recordFailed = false;
        try
        {
            // Usage that happened is recorded even when the caller has gone: no cancellation here.
            await ticket.Reservation.CommitAsync(units, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the store throws, the provider's response must reach the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            recordFailed = true;
            _telemetry.RecordFailures.Add(1, tags);
            Log.RecordFailed(_logger, ex, _operation, ticket.Parties.AgentId, units, Meter);
        }

        return new Settlement(units, Meter, isEstimated, recordFailed, ticket.Reservation.Id);
    }

    /// <summary>Frees the hold of a call that failed before the provider produced anything. Never throws over the call's own error.</summary>
    public async ValueTask ReleaseAsync(GateTicket ticket)
    {
        try
        {
            await ticket.Reservation.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The call's own exception is the one to surface; an unreleased hold expires.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReleaseFailed(_logger, ex, _operation, ticket.Parties.AgentId);
        }
    }

    /// <summary>Extends a streaming call's hold once half its life has passed, so a long stream never outlives its hold.</summary>
    public async ValueTask KeepAliveAsync(GateTicket ticket, CancellationToken cancellationToken)
    {
        if (ticket.Lifetime is not { } lifetime || ticket.Reservation.ExpiresAt is not { } expiresAt || ticket.Reservation.IsClosed
            || expiresAt - _time.GetUtcNow() > lifetime / 2)
        {
            return;
        }

        try
        {
            await ticket.Reservation.ExtendAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException ex)
        {
            Log.KeepAliveFailed(_logger, ex, ticket.Parties.AgentId);
        }
    }

    public void Dispose() => _telemetry.Dispose();

    private UnknownModelException RefuseUnknownModel(CallParties parties, string? modelId)
    {
        _telemetry.UnknownModels.Add(1, Tags(parties));
        Log.UnknownModel(_logger, _operation, parties.AgentId, modelId);
        var refusal = new PreflightResult
        {
            Approved = false,
            Reason = RefusalReason.UnknownModel,
            EstimatedUnits = 0,
            CustomerId = parties.CustomerId ?? string.Empty,
            AgentId = parties.AgentId,
            TaskRef = parties.TaskRef,
            Meter = Meter,
        };
        return new UnknownModelException(refusal, modelId);
    }

    /// <summary>The price for the settle: the model the provider says answered, when it is priced, else the one the estimate used.</summary>
    private ModelPriceMatch? PriceAt(GateTicket ticket, string? reportedModelId)
    {
        if (ticket.Price is null || reportedModelId is null || string.Equals(reportedModelId, ticket.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            return ticket.Price;
        }

        return _options.Pricing.Find(reportedModelId) is { Source: not ModelPriceSource.Fallback } reported ? reported : ticket.Price;
    }

    private long UnitsOf(TokenUsage usage, ModelPriceMatch? price)
        => price is null ? usage.TotalTokens : price.Price.CostOf(usage);

    private TagList Tags(CallParties parties) => new()
    {
        { "agentbill.agent_id", parties.AgentId },
        { "agentbill.operation", _operation },
    };
}
