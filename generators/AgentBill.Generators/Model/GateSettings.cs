namespace AgentBill.Generators.Model;

/// <summary>The arguments of one <c>[Gate]</c> attribute.</summary>
internal sealed record GateSettings(string AgentId, long EstimatedUnits, long Ceiling, string? CustomerId, string? TaskRef, int Meter);
