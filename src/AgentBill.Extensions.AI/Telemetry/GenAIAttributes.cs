namespace AgentBill.Extensions.AI;

/// <summary>
/// The OpenTelemetry GenAI attribute names the gates read and write. The cost attributes are those of the GenAI
/// semantic conventions' cost proposal: open-telemetry/semantic-conventions-genai pull request 443, "Add
/// per-operation cost conventions (gen_ai.usage.cost.*)", for issue 287 "Add convention for operation costs".
/// They are experimental, like every GenAI convention.
/// </summary>
internal static class GenAIAttributes
{
    /// <summary>The operation of a GenAI span (<c>chat</c>, <c>embeddings</c>, ...), set by <c>UseOpenTelemetry()</c>.</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary>The model a call asked for.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary>The monetary cost of the operation (a double), in <see cref="CostCurrency"/>.</summary>
    public const string CostAmount = "gen_ai.usage.cost.amount";

    /// <summary>The ISO 4217 currency of <see cref="CostAmount"/>.</summary>
    public const string CostCurrency = "gen_ai.usage.cost.currency";

    /// <summary>Where the cost came from: <c>provider</c> (in the response) or <c>local</c> (computed by the recorder).</summary>
    public const string CostSource = "gen_ai.usage.cost.source";

    /// <summary>The proposal's value of <see cref="CostSource"/> for a cost the recorder computed from token counts and prices.</summary>
    public const string LocalSource = "local";

    /// <summary>The operations whose spans are inference spans, the ones the proposal puts cost on.</summary>
    public static bool IsInference(string? operation)
        => operation is "chat" or "text_completion" or "generate_content" or "embeddings";
}
