namespace AgentBill.Generators.Model;

/// <summary>The field or property of the gated method's type that holds its <c>IAgentBill</c>.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Type">The member's fully qualified type.</param>
/// <param name="IsStatic">Whether it is static.</param>
/// <param name="IsProperty">Whether it is a property (else a field).</param>
/// <param name="IsAccessible">Whether code outside the type can read it; otherwise an UnsafeAccessor reads it.</param>
internal sealed record ClientMember(string Name, string Type, bool IsStatic, bool IsProperty, bool IsAccessible);
