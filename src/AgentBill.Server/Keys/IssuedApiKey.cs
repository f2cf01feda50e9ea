namespace AgentBill.Server.Keys;

/// <summary>A key just made: the only moment its secret exists outside the caller's hands.</summary>
/// <param name="Secret">The key itself, to give to whoever uses it; it cannot be read again.</param>
/// <param name="Record">What the store keeps of it.</param>
public sealed record IssuedApiKey(string Secret, ApiKeyRecord Record);
