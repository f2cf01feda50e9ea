namespace AgentBill;

/// <summary>Thrown when an idempotency key is reused for a different request: that is a bug, not a retry.</summary>
public sealed class IdempotencyConflictException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="idempotencyKey">The reused key.</param>
    public IdempotencyConflictException(string idempotencyKey)
        : base($"The idempotency key '{idempotencyKey}' was already used for a different request.") => IdempotencyKey = idempotencyKey;

    /// <summary>Gets the reused key.</summary>
    public string IdempotencyKey { get; }
}
