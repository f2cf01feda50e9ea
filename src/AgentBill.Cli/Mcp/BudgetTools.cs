using System.ComponentModel;
using System.Text.Json;
using AgentBill.Cli.Output;
using AgentBill.Cli.Reading;
using AgentBill.Cli.Stores;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentBill.Cli.Mcp;

/// <summary>
/// The MCP tools over the chosen store. A refusal is a result the model reads (approved: false, the reason, whether
/// waiting helps), never a protocol error; an invalid argument is an error result naming it, with nothing held or
/// charged.
/// </summary>
[McpServerToolType]
internal sealed class BudgetTools
{
    private readonly StoreSession _session;

    public BudgetTools(StoreSession session) => _session = session;

    [McpServerTool(Name = "preflight", Destructive = false, OpenWorld = false)]
    [Description(
        "Ask before you run: checks every budget that applies to the customer (customer, customer x agent, task, global) and, when all can take "
        + "the estimate, holds it and returns approved: true with a reservationId. Settle the hold with the record tool when the work is done "
        + "(or free it with release if the work is abandoned); an unsettled hold expires after its TTL. When refused it returns approved: false "
        + "with the reason, remainingUnits, and waitingHelps / persistence: untilHoldsEnd (retry soon), untilPeriodEnds (retry after retryAt), "
        + "permanent (only a smaller estimate or a larger budget gets through). Do not run the work when approved is false.")]
    public async Task<CallToolResult> PreflightAsync(
        [Description("The customer whose budget pays: the id the operator set budgets for. 1 to 128 characters, no control characters.")] string customerId,
        [Description("What runs: a stable label for the agent or tool, such as \"researcher\". Appears in usage reports.")] string agentId,
        [Description("The most the work can use, in the meter's unit (a whole number, 0 or more): this much is held until record settles the real usage.")] long estimatedUnits,
        [Description("What is counted: units (caller-defined, the default), tokens, or microUsd (millionths of a US dollar).")] UsageMeter meter = UsageMeter.Units,
        [Description("Optional job reference: a task's budget caps all of its calls together.")] string? taskRef = null,
        [Description("Optional seconds the hold lives before it returns its units by itself (more than 0); the server's default (5 minutes) otherwise.")] int? ttlSeconds = null,
        [Description("Optional key that makes a retry of this same preflight answer as the first one did instead of holding twice.")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
        => await ToolResults.GuardAsync(async () =>
        {
            if (ttlSeconds is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ttlSeconds), ttlSeconds, "ttlSeconds must be more than 0.");
            }

            var result = await _session.Client.PreflightAsync(
                new PreflightRequest(agentId)
                {
                    CustomerId = customerId,
                    EstimatedUnits = estimatedUnits,
                    Meter = meter,
                    TaskRef = taskRef,
                    Ttl = ttlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    IdempotencyKey = idempotencyKey,
                },
                cancellationToken).ConfigureAwait(false);
            return PreflightAnswer.Of(result);
        }).ConfigureAwait(false);

    [McpServerTool(Name = "record", Destructive = false, OpenWorld = false)]
    [Description(
        "Settle a hold with what the work really used: charges usedUnits to every budget the hold named (reservationId from preflight) and frees "
        + "the rest of the hold. Usage is stored even when it goes past the limit (overrun: true), so report the truth. Idempotent for the same "
        + "reservationId: a retry after a lost answer charges once.")]
    public async Task<CallToolResult> RecordAsync(
        [Description("The customer the hold belongs to: the same customerId given to preflight.")] string customerId,
        [Description("The agent the hold was made for: the same agentId given to preflight.")] string agentId,
        [Description("The reservationId preflight returned.")] string reservationId,
        [Description("What the work really used, in the hold's meter (a whole number, 0 or more).")] long usedUnits,
        [Description("The hold's meter: the same meter given to preflight (units by default).")] UsageMeter meter = UsageMeter.Units,
        [Description("The hold's task, when preflight named one.")] string? taskRef = null,
        CancellationToken cancellationToken = default)
        => await ToolResults.GuardAsync(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
            var result = await _session.Client.RecordAsync(
                new RecordRequest(agentId, usedUnits) { CustomerId = customerId, ReservationId = reservationId, Meter = meter, TaskRef = taskRef },
                cancellationToken).ConfigureAwait(false);
            return new RecordAnswer(result.Units, result.SettledReservationId, result.ReleasedUnits, result.IsOverrun, result.RemainingUnits, result.IsReplay);
        }).ConfigureAwait(false);

    [McpServerTool(Name = "release", Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Free a hold without charging it, when the work was abandoned or failed before using anything. Idempotent; released: false means the hold was no longer open (settled, released or expired).")]
    public async Task<CallToolResult> ReleaseAsync(
        [Description("The customer the hold belongs to.")] string customerId,
        [Description("The reservationId preflight returned.")] string reservationId,
        CancellationToken cancellationToken = default)
        => await ToolResults.GuardAsync(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
            var released = await _session.Client.ReleaseAsync(reservationId, customerId, cancellationToken).ConfigureAwait(false);
            return new { released };
        }).ConfigureAwait(false);

    [McpServerTool(Name = "status", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Read a customer's budgets (limit, used, held, remaining per meter and period), usage in the current day, week and month, open holds, and the last refusal with its reason. Changes nothing.")]
    public async Task<CallToolResult> StatusAsync(
        [Description("The customer to read.")] string customerId,
        CancellationToken cancellationToken = default)
        => await ToolResults.GuardAsync(async () => await StatusReader.ReadAsync(_session, customerId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}

/// <summary>A preflight's answer to a model: approved with a hold, or refused with why and whether waiting helps.</summary>
internal sealed record PreflightAnswer(
    bool Approved,
    string? ReservationId,
    DateTimeOffset? ExpiresAt,
    long EstimatedUnits,
    long? RemainingUnits,
    RefusalReason? Reason,
    bool? WaitingHelps,
    RefusalPersistence? Persistence,
    DateTimeOffset? RetryAt,
    double? RetryAfterSeconds,
    ScopeView? RefusedBy,
    Uri? UpgradeUrl)
{
    public static PreflightAnswer Of(PreflightResult result) => result.Approved
        ? new(true, result.ReservationId, result.ExpiresAt, result.EstimatedUnits, result.RemainingUnits, null, null, null, null, null, null, null)
        : new(
            false,
            null,
            null,
            result.EstimatedUnits,
            result.RemainingUnits,
            result.Reason,
            result.Persistence is RefusalPersistence.UntilHoldsEnd or RefusalPersistence.UntilPeriodEnds,
            result.Persistence,
            result.RetryAt,
            result.RetryAfter?.TotalSeconds,
            result.RefusedBy is { } key ? ScopeView.Of(key.Scope) : null,
            result.UpgradeUrl);
}

/// <summary>A record's answer.</summary>
internal sealed record RecordAnswer(long Units, string? SettledReservationId, long ReleasedUnits, bool Overrun, long? RemainingUnits, bool Replay);

/// <summary>Turns a tool's value or its failure into a tool result: JSON text and structured content, or an error result.</summary>
internal static class ToolResults
{
    public static async Task<CallToolResult> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            var value = await work().ConfigureAwait(false);
            var element = JsonSerializer.SerializeToElement(value, CliJson.Options);
            return new CallToolResult { Content = [new TextContentBlock { Text = element.GetRawText() }], StructuredContent = element };
        }
        catch (Exception ex) when (ex is ArgumentException or AgentBillException)
        {
            // Invalid input is refused before any store call, and an unreachable store is not a refusal: both are
            // error results the model can read and act on, never a protocol failure.
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ex.Message }] };
        }
    }
}
