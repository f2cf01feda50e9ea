using System.Security.Cryptography;
using System.Text;

namespace AgentBill.Server.Keys;

/// <summary>
/// The shape of an AgentBill API key (<c>agb_</c> and 48 lowercase hex digits), how one is made, hashed and shown.
/// The shape is checked before any lookup so a malformed header costs no store round trip.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>The prefix every key starts with.</summary>
    public const string Prefix = "agb_";

    /// <summary>The number of hex digits after the prefix.</summary>
    public const int HexDigits = 48;

    /// <summary>The whole length of a key.</summary>
    public const int Length = 52;

    /// <summary>Whether <paramref name="key"/> has the shape of a key: the prefix, then exactly 48 lowercase hex digits.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key[Prefix.Length..])
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new key from 24 random bytes of the operating system's cryptographic generator.</summary>
    public static string NewKey() => Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(HexDigits / 2)).ToLowerInvariant();

    /// <summary>The SHA-256 of the key's UTF-8 bytes as 64 lowercase hex digits: the only form a store keeps.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not well formed.</exception>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsWellFormed(key))
        {
            throw new ArgumentException("An AgentBill API key is 'agb_' followed by 48 lowercase hex digits.", nameof(key));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(key))).ToLowerInvariant();
    }

    /// <summary>How a key is shown after it was made: its first 8 characters and its last 4.</summary>
    public static string Display(string firstEight, string lastFour) => firstEight + "…" + lastFour;
}
