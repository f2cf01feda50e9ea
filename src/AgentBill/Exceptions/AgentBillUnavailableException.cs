namespace AgentBill;

/// <summary>Thrown when the budget store cannot be reached, and the failure mode does not let the call through.</summary>
public sealed class AgentBillUnavailableException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached.</param>
    /// <param name="innerException">The store's own error.</param>
    public AgentBillUnavailableException(string message, Exception? innerException = null)
        : base(message, null, innerException)
    {
    }
}
