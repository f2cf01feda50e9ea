namespace AgentBill;

/// <summary>Marks the <see langword="string"/> parameter of a gated method that names the customer who pays.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class CustomerIdAttribute : Attribute
{
}
