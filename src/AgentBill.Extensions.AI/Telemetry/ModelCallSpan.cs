using System.Diagnostics;
using System.Globalization;
using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>
/// Where a model call's decision and cost are traced. Inside the GenAI client span of <c>UseOpenTelemetry()</c>
/// (placed outside <c>UseAgentBill()</c>) they go on that span, beside its token usage; a span spanning several
/// round-trips (placed outside <c>UseFunctionInvocation()</c>) adds them up, as its token usage does. Elsewhere the
/// gate traces each call on a span of its own, <c>agentbill.model_call</c> on the <c>AgentBill</c> ActivitySource,
/// when something listens. Ids, models and numbers only: never the customer or any prompt text.
/// </summary>
internal readonly struct ModelCallSpan
{
    public const string OwnSpanName = AgentBillDiagnostics.Activities.ModelCall;
    public const string DecisionEvent = AgentBillDiagnostics.Events.Decision;

    // The core client's source by name: listeners subscribe by name, so both trace as one AgentBill source.
    private static readonly ActivitySource Source = new(AgentBillDiagnostics.Name);

    private readonly Activity? _activity;
    private readonly bool _owned;

    private ModelCallSpan(Activity? activity, bool owned)
    {
        _activity = activity;
        _owned = owned;
    }

    /// <summary>Gets the gate's own span, which the provider call runs in, or <see langword="null"/>.</summary>
    public Activity? Owned => _owned ? _activity : null;

    /// <summary>The GenAI span the call runs in, else a new span of the gate's own when something listens.</summary>
    public static ModelCallSpan Start(string operation, string agentId, string? modelId)
    {
        if (Activity.Current is { IsStopped: false } current && GenAIAttributes.IsInference(current.GetTagItem(GenAIAttributes.OperationName) as string))
        {
            return new ModelCallSpan(current, owned: false);
        }

        var own = Source.StartActivity(OwnSpanName, ActivityKind.Internal);
        own?.SetTag(AgentBillDiagnostics.Tags.Operation, operation)
            .SetTag(AgentBillDiagnostics.Tags.AgentId, agentId)
            .SetTag(GenAIAttributes.RequestModel, modelId);
        return new ModelCallSpan(own, owned: true);
    }

    public void Approved(PreflightResult result)
    {
        if (_activity is null)
        {
            return;
        }

        var tags = Decision("approved", result);
        tags.Add(AgentBillDiagnostics.Tags.Degraded, result.IsDegraded);
        if (result.ReservationId is { } id)
        {
            tags.Add(AgentBillDiagnostics.Tags.ReservationId, id);
        }

        _activity.AddEvent(new ActivityEvent(DecisionEvent, tags: tags));
    }

    public void Refused(PreflightResult result)
    {
        if (_activity is null)
        {
            return;
        }

        var tags = Decision("refused", result);
        tags.Add(AgentBillDiagnostics.Tags.RefusalReason, result.Reason.ToString());
        tags.Add(AgentBillDiagnostics.Tags.RefusalPersistence, result.Persistence.ToString());
        if (result.RetryAt is { } retryAt)
        {
            tags.Add(AgentBillDiagnostics.Tags.RefusalRetryAt, retryAt.ToString("O", CultureInfo.InvariantCulture));
        }

        _activity.AddEvent(new ActivityEvent(DecisionEvent, tags: tags));
        End();
    }

    public void Failed(Exception exception)
    {
        if (_owned && _activity is not null)
        {
            _activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            _activity.SetTag("error.type", exception.GetType().FullName);
        }

        End();
    }

    /// <summary>Writes what was charged, adding it to what other round-trips traced on the same span.</summary>
    public void Settled(in ModelCallSettlement settlement, TokenUsage tokens)
    {
        if (_activity is null)
        {
            return;
        }

        var units = Add(AgentBillDiagnostics.Tags.ChargedUnits, settlement.Units);
        Add(AgentBillDiagnostics.Tags.InputTokens, tokens.InputTokens);
        Add(AgentBillDiagnostics.Tags.OutputTokens, tokens.OutputTokens);
        _activity.SetTag(AgentBillDiagnostics.Tags.Meter, settlement.Meter.ToString());
        if (settlement.Meter == UsageMeter.MicroUsd)
        {
            // Telemetry only: the ledger keeps integer micro-USD.
            _activity.SetTag(GenAIAttributes.CostAmount, units / 1_000_000d)
                .SetTag(GenAIAttributes.CostCurrency, "USD")
                .SetTag(GenAIAttributes.CostSource, GenAIAttributes.LocalSource);
        }

        if (settlement.UsageEstimated || _activity.GetTagItem(AgentBillDiagnostics.Tags.UsageEstimated) is null)
        {
            _activity.SetTag(AgentBillDiagnostics.Tags.UsageEstimated, settlement.UsageEstimated);
        }

        if (settlement.UsageIssue != ModelUsageIssue.None)
        {
            _activity.SetTag(AgentBillDiagnostics.Tags.UsageIssue, ModelUsageIssues.Name(settlement.UsageIssue));
        }

        if (settlement.RecordFailed)
        {
            _activity.SetTag(AgentBillDiagnostics.Tags.RecordFailed, true);
        }

        End();
    }

    public void Released()
    {
        _activity?.SetTag(AgentBillDiagnostics.Tags.Released, true);
        End();
    }

    private static ActivityTagsCollection Decision(string decision, PreflightResult result) => new()
    {
        { AgentBillDiagnostics.Tags.Decision, decision },
        { AgentBillDiagnostics.Tags.AgentId, result.AgentId },
        { AgentBillDiagnostics.Tags.Meter, result.Meter.ToString() },
        { AgentBillDiagnostics.Tags.EstimatedUnits, result.EstimatedUnits },
    };

    private long Add(string key, long value)
    {
        var sum = (_activity!.GetTagItem(key) as long? ?? 0) + value;
        _activity.SetTag(key, sum);
        return sum;
    }

    private void End()
    {
        if (_owned)
        {
            _activity?.Dispose();
        }
    }
}
