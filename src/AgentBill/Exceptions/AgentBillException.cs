namespace AgentBill;

/// <summary>The base of every exception AgentBill throws on purpose.</summary>
public class AgentBillException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="result">The preflight answer behind it, when there is one.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public AgentBillException(string message, PreflightResult? result = null, Exception? innerException = null)
        : base(message, innerException) => Result = result;

    /// <summary>Gets the preflight answer behind the exception, when there is one.</summary>
    public PreflightResult? Result { get; }
}
