using Microsoft.Extensions.Logging;

namespace AgentBill.Telemetry;

/// <summary>Every log line AgentBill writes. Ids and numbers only: no prompt, metadata value or secret is ever logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Preflight for agent '{AgentId}' refused: {Reason} ({EstimatedUnits} {Meter} asked, {Remaining} left).")]
    public static partial void PreflightRefused(ILogger logger, string agentId, RefusalReason reason, long estimatedUnits, UsageMeter meter, long? remaining);

    [LoggerMessage(2, LogLevel.Warning, "Budget store unreachable; preflight for agent '{AgentId}' approved without a hold (fail-open).")]
    public static partial void FailedOpen(ILogger logger, Exception exception, string agentId);

    [LoggerMessage(3, LogLevel.Warning, "Budget store unreachable; record for agent '{AgentId}' will be tried again (attempt {Attempt} of {Attempts}).")]
    public static partial void RecordRetrying(ILogger logger, Exception exception, string agentId, int attempt, int attempts);

    [LoggerMessage(4, LogLevel.Error, "Record for agent '{AgentId}' of {Units} {Meter} could not reach the budget store after {Attempts} attempts.")]
    public static partial void RecordFailed(ILogger logger, Exception exception, string agentId, long units, UsageMeter meter, int attempts);

    [LoggerMessage(5, LogLevel.Warning, "Agent '{AgentId}' used {Units} {Meter}, past a budget's limit; the next preflight will be refused.")]
    public static partial void Overrun(ILogger logger, string agentId, long units, UsageMeter meter);

    [LoggerMessage(6, LogLevel.Error, "A budget alert handler failed for the {Threshold}% alert of {Scope}.")]
    public static partial void AlertHandlerFailed(ILogger logger, Exception exception, int threshold, BudgetScope scope);

    [LoggerMessage(8, LogLevel.Error, "A record of agent '{AgentId}' of {Units} {Meter} took a counter past the largest total a ledger keeps; it was stored at that total, less than the truth.")]
    public static partial void Saturated(ILogger logger, string agentId, long units, UsageMeter meter);

    [LoggerMessage(9, LogLevel.Information, "The hold '{ReservationId}' of a preflight that was given up on was released once the store answered (it was open: {WasOpen}).")]
    public static partial void AbandonedHoldReleased(ILogger logger, string reservationId, bool wasOpen);

    [LoggerMessage(10, LogLevel.Warning, "The hold '{ReservationId}' of a preflight that was given up on could not be released; its units come back when it expires.")]
    public static partial void AbandonedHoldKept(ILogger logger, Exception exception, string reservationId);

    [LoggerMessage(7, LogLevel.Warning, "Releasing reservation '{ReservationId}' failed; its units come back when it expires.")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string reservationId);
}
