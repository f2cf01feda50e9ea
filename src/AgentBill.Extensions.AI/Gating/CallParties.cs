using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>Who a model call is charged to: the agent, the customer and the task.</summary>
internal readonly record struct CallParties(string AgentId, string? CustomerId, string? TaskRef)
{
    /// <summary>
    /// Resolves the parties in order of precedence: the call's <c>AdditionalProperties</c>, the ambient
    /// <see cref="AgentBillChatScope"/>, the gate's selector, the gate's agent (the client's default customer).
    /// </summary>
    /// <remarks>The selector comes with its arguments rather than as a closure, so a call allocates nothing to resolve its parties.</remarks>
    public static CallParties Resolve<TInput, TOptions>(
        AdditionalPropertiesDictionary? properties, Func<TInput, TOptions, string?>? selectCustomer, TInput input, TOptions options, string agentId)
    {
        var scope = AgentBillChatScope.Current;
        return new CallParties(
            Read(properties, AgentBillPropertyNames.AgentId) ?? scope?.AgentId ?? agentId,
            Read(properties, AgentBillPropertyNames.CustomerId) ?? scope?.CustomerId ?? selectCustomer?.Invoke(input, options),
            Read(properties, AgentBillPropertyNames.TaskRef) ?? scope?.TaskRef);
    }

    /// <summary>Whether the properties hold a key the gate reads, which must not reach the provider.</summary>
    public static bool HasGateKeys(AdditionalPropertiesDictionary? properties)
        => properties is not null
            && (properties.ContainsKey(AgentBillPropertyNames.CustomerId)
                || properties.ContainsKey(AgentBillPropertyNames.TaskRef)
                || properties.ContainsKey(AgentBillPropertyNames.AgentId));

    /// <summary>Removes the keys the gate reads from a copy of the call's properties.</summary>
    public static void RemoveGateKeys(AdditionalPropertiesDictionary properties)
    {
        properties.Remove(AgentBillPropertyNames.CustomerId);
        properties.Remove(AgentBillPropertyNames.TaskRef);
        properties.Remove(AgentBillPropertyNames.AgentId);
    }

    private static string? Read(AdditionalPropertiesDictionary? properties, string key)
    {
        if (properties is null || !properties.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value as string
            ?? throw new ArgumentException($"The additional property '{key}' must be a string, not {value.GetType().Name}.", key);
    }
}
