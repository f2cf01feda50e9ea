namespace AgentBill.Generators.Model;

/// <summary>One parameter of a gated method, as the interceptor must repeat it.</summary>
/// <param name="Name">The parameter's name, escaped for use as an identifier.</param>
/// <param name="Type">The fully qualified type.</param>
/// <param name="Modifier">"ref ", "out ", "in ", "ref readonly " or empty.</param>
/// <param name="IsParams">Whether it is a params array.</param>
internal sealed record ParameterModel(string Name, string Type, string Modifier, bool IsParams);
