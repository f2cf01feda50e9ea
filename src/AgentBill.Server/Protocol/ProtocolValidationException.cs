namespace AgentBill.Server.Protocol;

/// <summary>A request field breaks the protocol's rules: answered 422 <c>validation_error</c>, nothing changed.</summary>
internal sealed class ProtocolValidationException(string field, string message) : Exception(message)
{
    /// <summary>The JSON field at fault, snake_case as sent.</summary>
    public string Field { get; } = field;
}
