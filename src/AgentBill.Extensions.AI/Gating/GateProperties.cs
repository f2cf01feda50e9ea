using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>The keys a gate reads from a call's properties, which must never reach the provider.</summary>
internal static class GateProperties
{
    /// <summary>Whether the properties hold a key the gate reads.</summary>
    public static bool Present(AdditionalPropertiesDictionary? properties)
        => properties is not null
            && (properties.ContainsKey(AgentBillPropertyNames.CustomerId)
                || properties.ContainsKey(AgentBillPropertyNames.TaskRef)
                || properties.ContainsKey(AgentBillPropertyNames.AgentId));

    /// <summary>A copy of the properties without the gate's keys, or <see langword="null"/> when nothing else is left.</summary>
    public static AdditionalPropertiesDictionary? Without(AdditionalPropertiesDictionary properties)
    {
        var copy = new AdditionalPropertiesDictionary(properties);
        copy.Remove(AgentBillPropertyNames.CustomerId);
        copy.Remove(AgentBillPropertyNames.TaskRef);
        copy.Remove(AgentBillPropertyNames.AgentId);
        return copy.Count == 0 ? null : copy;
    }
}
