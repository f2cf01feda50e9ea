using AgentBill.Validation;

namespace AgentBill.Pricing;

/// <summary>
/// Converts a price in USD per token, as price files write it (<c>2.5e-06</c>), to the micro-USD per 1M tokens
/// of <see cref="ModelPrice"/>: a factor of 10^12, in decimal arithmetic so that every published price converts
/// exactly. A price finer than 1 micro-USD per 1M tokens (10^-12 USD per token) is rounded up, so a converted
/// price is never below the file's.
/// </summary>
internal static class PerTokenPrice
{
    private const decimal MicroUsdPerMillionPerUsdPerToken = 1_000_000_000_000m;

    /// <summary>Converts a non-negative USD-per-token price, or answers <see langword="false"/> when it is out of range.</summary>
    public static bool TryToMicroUsdPerMillion(decimal usdPerToken, out long microUsdPerMillion)
    {
        microUsdPerMillion = 0;
        if (usdPerToken < 0 || usdPerToken > Guard.MaxUnits / MicroUsdPerMillionPerUsdPerToken)
        {
            return false;
        }

        microUsdPerMillion = (long)decimal.Ceiling(usdPerToken * MicroUsdPerMillionPerUsdPerToken);
        return true;
    }
}
