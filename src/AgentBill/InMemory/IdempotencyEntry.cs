namespace AgentBill.InMemory;

/// <summary>A remembered answer: the request's fingerprint and the outcome to replay.</summary>
internal sealed record IdempotencyEntry(AgentBill.Ledger.LedgerFingerprint Fingerprint, object Outcome, DateTimeOffset ForgetAt);
