using System.Net;

namespace AgentBill.Server;

/// <summary>How the AgentBill server listens and what it allows.</summary>
public sealed class AgentBillServerOptions
{
    /// <summary>The largest request body the protocol allows, in bytes.</summary>
    public const int ProtocolMaxRequestBodyBytes = 64 * 1024;

    /// <summary>
    /// The address to listen on. Default <c>127.0.0.1</c>: only this machine can reach the server. Any other address
    /// needs <see cref="AllowPublicBind"/>.
    /// </summary>
    public string Address { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>The TCP port. Default 8787; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 8787;

    /// <summary>Whether <see cref="Address"/> may be other than a loopback address. Off by default.</summary>
    public bool AllowPublicBind { get; set; }

    /// <summary>A PFX/PKCS#12 certificate file to serve HTTPS with; plain HTTP when unset.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The largest request body accepted, in bytes. Default and maximum: 64 KB, as the protocol says.</summary>
    public int MaxRequestBodyBytes { get; set; } = ProtocolMaxRequestBodyBytes;

    /// <summary>An address refused preflights name as <c>upgrade_url</c>, if the operator has one.</summary>
    public Uri? UpgradeUrl { get; set; }

    /// <summary>
    /// Gets or sets how many requests one API key may make per <see cref="KeyRateLimitWindow"/>, counted across every
    /// server on a Redis store (in Redis, by its clock) and per process otherwise; 0 turns the limit off. Default 6000
    /// a minute (100 a second on average; a .NET client's gated call is two requests): above a busy service's pace,
    /// low enough to stop a runaway loop's key from flooding the store.
    /// </summary>
    public int KeyRateLimit { get; set; } = 6000;

    /// <summary>Gets or sets the fixed window <see cref="KeyRateLimit"/> counts in: whole seconds, 1 s to 1 day. Default 1 minute.</summary>
    public TimeSpan KeyRateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
