namespace AgentBill.Pricing;

/// <summary>
/// Thrown when a price file cannot be loaded: it is not JSON, or an entry's price is not a number, is negative
/// or is too large. Nothing of the file is loaded.
/// </summary>
public sealed class PriceFileFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the entry and field.</param>
    /// <param name="entry">The model entry at fault, or <see langword="null"/> when the file as a whole is.</param>
    /// <param name="field">The field at fault, or <see langword="null"/>.</param>
    /// <param name="innerException">The parser's exception, or <see langword="null"/>.</param>
    public PriceFileFormatException(string message, string? entry = null, string? field = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Entry = entry;
        Field = field;
    }

    /// <summary>Gets the model entry at fault, or <see langword="null"/> when the file as a whole is.</summary>
    public string? Entry { get; }

    /// <summary>Gets the field at fault, or <see langword="null"/>.</summary>
    public string? Field { get; }
}
