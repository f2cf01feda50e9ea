using Microsoft.Extensions.Logging;

namespace AgentBill.Extensions.AI;

/// <summary>Every log line the model-call gates write. Ids, model names and numbers only: never prompt text or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "The usage of a {Operation} call of agent '{AgentId}' could not be taken as reported ({Issue}); an upper bound of {Units} {Meter} was charged.")]
    public static partial void UsageEstimated(ILogger logger, string operation, string agentId, string issue, long units, UsageMeter meter);

    [LoggerMessage(102, LogLevel.Error, "The usage of a {Operation} call of agent '{AgentId}' ({Units} {Meter}) could not be recorded; the response was returned.")]
    public static partial void RecordFailed(ILogger logger, Exception exception, string operation, string agentId, long units, UsageMeter meter);

    [LoggerMessage(103, LogLevel.Information, "A {Operation} call of agent '{AgentId}' was refused: model '{ModelId}' has no price and no fallback price is set.")]
    public static partial void UnknownModel(ILogger logger, string operation, string agentId, string? modelId);

    [LoggerMessage(104, LogLevel.Warning, "Releasing the hold of a failed {Operation} call of agent '{AgentId}' failed; its units come back when it expires.")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string operation, string agentId);

    [LoggerMessage(105, LogLevel.Warning, "Keeping the hold of a {Operation} call of agent '{AgentId}' alive failed; it is settled when the call ends.")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception, string operation, string agentId);

    [LoggerMessage(106, LogLevel.Error, "The usage of a {Operation} call of agent '{AgentId}' could not be read; its hold of {Units} {Meter} was charged.")]
    public static partial void UsageUnreadable(ILogger logger, Exception exception, string operation, string agentId, long units, UsageMeter meter);
}
