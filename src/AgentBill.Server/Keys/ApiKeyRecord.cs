namespace AgentBill.Server.Keys;

/// <summary>
/// What a key store keeps of one API key: never the key itself, only its SHA-256 and enough of it to recognise it in
/// a list (the first 8 characters and the last 4).
/// </summary>
/// <param name="Id">A stable identifier of the key: the first 16 hex digits of its hash; used to revoke it.</param>
/// <param name="Hash">The SHA-256 of the key, 64 lowercase hex digits (see <see cref="ApiKeyFormat.Hash"/>).</param>
/// <param name="Name">The label the operator gave it.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="FirstEight">The key's first 8 characters (<c>agb_</c> and 4 hex digits).</param>
/// <param name="LastFour">The key's last 4 characters.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working by itself, if ever.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Hash,
    string Name,
    ApiKeyScope Scope,
    string FirstEight,
    string LastFour,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Whether the key authenticates a request at <paramref name="now"/>: neither revoked nor expired.</summary>
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || now < expires);

    /// <summary>Whether the key may do what <paramref name="required"/> allows.</summary>
    public bool Allows(ApiKeyScope required) => Scope == ApiKeyScope.Admin || required == ApiKeyScope.Metering;

    /// <summary>The key as it is shown in lists: <c>agb_1a2b…9f0e</c>.</summary>
    public string Display => ApiKeyFormat.Display(FirstEight, LastFour);
}
