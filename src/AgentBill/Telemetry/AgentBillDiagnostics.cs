namespace AgentBill;

/// <summary>
/// The names under which AgentBill publishes traces and metrics: the source and meter, every span, event, instrument
/// and tag. Every package of AgentBill takes its names from here, so a dashboard or an alert rule can too.
/// </summary>
public static class AgentBillDiagnostics
{
    /// <summary>The name of both the <see cref="System.Diagnostics.ActivitySource"/> and the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "AgentBill";

    /// <summary>The names of the spans AgentBill starts.</summary>
    public static class Activities
    {
        /// <summary>A preflight of the client: a decision, with or without a store round trip.</summary>
        public const string Preflight = "agentbill.preflight";

        /// <summary>A record (or a commit) of the client.</summary>
        public const string Record = "agentbill.record";

        /// <summary>A gated model call, started when no model-call span of the provider's library is current.</summary>
        public const string ModelCall = "agentbill.model_call";
    }

    /// <summary>The names of the events AgentBill adds to a span.</summary>
    public static class Events
    {
        /// <summary>The gate's decision about a model call, added to the model call's span.</summary>
        public const string Decision = "agentbill.decision";
    }

    /// <summary>The names of the metrics instruments, all on the <see cref="Name"/> meter.</summary>
    public static class Instruments
    {
        /// <summary>Counter: preflights by outcome and refusal reason.</summary>
        public const string Preflights = "agentbill.preflights";

        /// <summary>Counter: units held by approved preflights.</summary>
        public const string ReservedUnits = "agentbill.units.reserved";

        /// <summary>Counter: units settled or charged.</summary>
        public const string RecordedUnits = "agentbill.units.recorded";

        /// <summary>Counter: preflights approved without a hold because the store was unreachable (fail-open).</summary>
        public const string DegradedPreflights = "agentbill.preflights.degraded";

        /// <summary>Counter: records tried again because the store was unreachable.</summary>
        public const string RecordRetries = "agentbill.records.retries";

        /// <summary>Counter: records that could not reach the store after every attempt.</summary>
        public const string RecordFailures = "agentbill.records.failures";

        /// <summary>Counter: records whose usage went past a limit.</summary>
        public const string Overruns = "agentbill.records.overruns";

        /// <summary>Counter: budget alerts handed to every handler.</summary>
        public const string AlertsDelivered = "agentbill.alerts.delivered";

        /// <summary>Counter: alert handlers that threw.</summary>
        public const string AlertHandlerFailures = "agentbill.alerts.handler_failures";

        /// <summary>Histogram: the time a preflight took, store round trip included, in seconds.</summary>
        public const string PreflightDuration = "agentbill.preflight.duration";

        /// <summary>Counter: model calls charged an upper bound because their usage was missing or not to be trusted.</summary>
        public const string ModelCallsUsageEstimated = "agentbill.model_calls.usage_estimated";

        /// <summary>Counter: model calls whose usage could not be recorded.</summary>
        public const string ModelCallRecordFailures = "agentbill.model_calls.record_failures";

        /// <summary>Counter: model calls refused because their model has no price.</summary>
        public const string ModelCallsUnknownModel = "agentbill.model_calls.unknown_model";
    }

    /// <summary>
    /// The names of the tags on spans, events and measurements. Tags carry ids of agents and holds, meters and
    /// outcomes, never a customer id on a metric (customer ids can be personal data and make every series unbounded).
    /// </summary>
    public static class Tags
    {
        /// <summary>The agent a call is charged to.</summary>
        public const string AgentId = "agentbill.agent_id";

        /// <summary>What the amounts count (<see cref="UsageMeter"/>).</summary>
        public const string Meter = "agentbill.meter";

        /// <summary>The units a preflight asked for.</summary>
        public const string EstimatedUnits = "agentbill.estimated_units";

        /// <summary>The units a record charged.</summary>
        public const string Units = "agentbill.units";

        /// <summary>The prefix of a record's metadata tags: <c>agentbill.metadata.</c> followed by the metadata key.</summary>
        public const string MetadataPrefix = "agentbill.metadata.";

        /// <summary>A preflight's outcome on a metric: <c>approved</c> or <c>refused</c>.</summary>
        public const string Outcome = "agentbill.outcome";

        /// <summary>Whether a preflight was approved, on its span.</summary>
        public const string Approved = "agentbill.approved";

        /// <summary>Why a preflight was refused (<see cref="RefusalReason"/>), or <c>None</c>.</summary>
        public const string Reason = "agentbill.reason";

        /// <summary>The kind of gated model call (chat, embedding, ...).</summary>
        public const string Operation = "agentbill.operation";

        /// <summary>The gate's decision about a model call.</summary>
        public const string Decision = "agentbill.decision";

        /// <summary>Whether a model call was approved without a hold because the store was unreachable.</summary>
        public const string Degraded = "agentbill.degraded";

        /// <summary>The hold a model call runs under.</summary>
        public const string ReservationId = "agentbill.reservation_id";

        /// <summary>Why a model call was refused (<see cref="RefusalReason"/>).</summary>
        public const string RefusalReason = "agentbill.refusal.reason";

        /// <summary>Whether waiting helps a refused model call (<see cref="RefusalPersistence"/>).</summary>
        public const string RefusalPersistence = "agentbill.refusal.persistence";

        /// <summary>When a refused model call may be tried again, round-trip ISO 8601.</summary>
        public const string RefusalRetryAt = "agentbill.refusal.retry_at";

        /// <summary>The units a model call was charged.</summary>
        public const string ChargedUnits = "agentbill.charged_units";

        /// <summary>The input tokens a model call reported.</summary>
        public const string InputTokens = "agentbill.usage.input_tokens";

        /// <summary>The output tokens a model call reported.</summary>
        public const string OutputTokens = "agentbill.usage.output_tokens";

        /// <summary>Whether a model call's charge came from an estimate.</summary>
        public const string UsageEstimated = "agentbill.usage_estimated";

        /// <summary>Why a model call's usage was not trusted.</summary>
        public const string UsageIssue = "agentbill.usage_issue";

        /// <summary>Whether a model call's usage could not be recorded.</summary>
        public const string RecordFailed = "agentbill.record_failed";

        /// <summary>Whether a model call's hold was released uncharged.</summary>
        public const string Released = "agentbill.released";
    }
}
