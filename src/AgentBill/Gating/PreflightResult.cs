namespace AgentBill;

/// <summary>The answer to a preflight. A non-throwing value: <see cref="AgentBillResultExtensions.EnsureApproved"/> turns a refusal into an exception.</summary>
public sealed record PreflightResult
{
    /// <summary>Gets whether the run may start.</summary>
    public required bool Approved { get; init; }

    /// <summary>Gets why the run was refused, or <see cref="RefusalReason.None"/>.</summary>
    public RefusalReason Reason { get; init; }

    /// <summary>Gets the units the run asked for.</summary>
    public required long EstimatedUnits { get; init; }

    /// <summary>
    /// Gets what the tightest applicable budget has left after this hold (approved) or now (refused), or
    /// <see langword="null"/> when no budget limits the call.
    /// </summary>
    public long? RemainingUnits { get; init; }

    /// <summary>Gets the budget that refused the run, when one did.</summary>
    public BudgetKey? RefusedBy { get => _refusal?.RefusedBy; init => _refusal = value is null && _refusal is null ? null : Refusal with { RefusedBy = value }; }

    /// <summary>Gets the hold's id, to settle or release it; <see langword="null"/> when refused or degraded.</summary>
    public string? ReservationId { get; init; }

    /// <summary>Gets when an unsettled hold returns its units.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets whether waiting would let a retry of a refused call through; <see cref="RefusalPersistence.None"/> when approved.</summary>
    public RefusalPersistence Persistence { get => _refusal?.Persistence ?? RefusalPersistence.None; init => _refusal = value == RefusalPersistence.None && _refusal is null ? null : Refusal with { Persistence = value }; }

    /// <summary>
    /// Gets the earliest time a retry of a refused call may be approved, when waiting helps: the end of the budget's
    /// period, or when the earliest hold in the way expires (it may end sooner). <see langword="null"/> otherwise.
    /// </summary>
    public DateTimeOffset? RetryAt { get => _refusal?.RetryAt; init => _refusal = value is null && _refusal is null ? null : Refusal with { RetryAt = value }; }

    /// <summary>Gets how long from the refusal until <see cref="RetryAt"/>, when waiting helps.</summary>
    public TimeSpan? RetryAfter { get => _refusal?.RetryAfter; init => _refusal = value is null && _refusal is null ? null : Refusal with { RetryAfter = value }; }

    // Only refusals carry the refusing budget, retry advice and an upgrade link: an approval, the common answer on
    // every gated call, keeps one empty reference instead of those fields (48 bytes less an approval).
    private readonly RefusalDetail? _refusal;

    private RefusalDetail Refusal => _refusal ?? new RefusalDetail(null, RefusalPersistence.None, null, null, null);

    /// <summary>Gets where a refused customer can raise their budget, from <see cref="AgentBillOptions.UpgradeUrl"/>.</summary>
    public Uri? UpgradeUrl { get => _refusal?.UpgradeUrl; init => _refusal = value is null && _refusal is null ? null : Refusal with { UpgradeUrl = value }; }

    /// <summary>Gets whether the store was unreachable and the run was approved by <see cref="AgentBillFailureMode.FailOpen"/> without a hold.</summary>
    public bool IsDegraded { get; init; }

    /// <summary>Gets whether this answer replays an earlier preflight with the same idempotency key.</summary>
    public bool IsReplay { get; init; }

    /// <summary>Gets the customer whose budget was checked.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets the agent that asked.</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the task the call belongs to.</summary>
    public string? TaskRef { get; init; }

    /// <summary>Gets what the estimate counts.</summary>
    public UsageMeter Meter { get; init; }

    private sealed record RefusalDetail(BudgetKey? RefusedBy, RefusalPersistence Persistence, DateTimeOffset? RetryAt, TimeSpan? RetryAfter, Uri? UpgradeUrl);
}
