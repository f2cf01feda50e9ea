using System.Reflection;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>Where a tool's cost comes from: the options' map by name, else a <see cref="ToolCostAttribute"/> on its method.</summary>
internal sealed class ToolCosts(IReadOnlyDictionary<string, long> byName)
{
    public bool IsEmpty => byName.Count == 0;

    /// <summary>The cost of one call, or <see langword="null"/> when the tool has none.</summary>
    public long? Of(AIFunction function)
        => byName.TryGetValue(function.Name, out var cost) ? cost : Attributed(function);

    /// <summary>Whether any of the tools carries a cost.</summary>
    public bool AnyIn(IEnumerable<AITool>? tools)
        => !IsEmpty || (tools?.OfType<AIFunction>().Any(tool => Attributed(tool) is not null) ?? false);

    private static long? Attributed(AIFunction function) => function.UnderlyingMethod?.GetCustomAttribute<ToolCostAttribute>()?.Cost;
}
