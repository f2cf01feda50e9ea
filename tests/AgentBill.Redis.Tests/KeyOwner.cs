namespace AgentBill.Redis.Tests;

/// <summary>Reads a key's hash tag back into the customer it belongs to.</summary>
internal static class KeyOwner
{
    /// <summary>
    /// Whether a key is a customer's, rather than one of the ledger's own: its epoch (<c>{g}:epoch</c>) and, on
    /// a cluster, the loss marker of each slot a script ran in (<c>{sN}:marker</c>).
    /// </summary>
    public static bool IsCustomers(string key) => !key.EndsWith(":{g}:epoch", StringComparison.Ordinal) && !key.EndsWith(":marker", StringComparison.Ordinal);

    /// <summary>The customer a key belongs to: its hash tag is <c>{c:BASE64URL(WTF-8 of the id)}</c>.</summary>
    public static string Of(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = key.IndexOf('}', open);
        var tag = key[(open + 1)..close];
        Assert.StartsWith("c:", tag, StringComparison.Ordinal);
        var base64 = tag[2..].Replace('-', '+').Replace('_', '/');
        return Wtf8.Decode(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
    }
}
