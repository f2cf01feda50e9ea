using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>Who a model call is charged to: the agent, the customer and the task.</summary>
/// <param name="AgentId">The agent label the call is charged to.</param>
/// <param name="CustomerId">The customer who pays, or <see langword="null"/> for the client's default customer (a <see cref="CustomerRequiredException"/> when the client's <see cref="AgentBillOptions.RequireCustomer"/> is on).</param>
/// <param name="TaskRef">The task the call counts against, or <see langword="null"/>.</param>
public readonly record struct ModelCallParties(string AgentId, string? CustomerId, string? TaskRef)
{
    /// <summary>
    /// Resolves a call's parties in the documented order: what the call's <c>AdditionalProperties</c> name
    /// (<see cref="AgentBillPropertyNames"/>), then the <paramref name="context"/>, then the gate's customer selector,
    /// then the gate's agent and the client's default customer.
    /// </summary>
    /// <typeparam name="TInput">What the selector reads.</typeparam>
    /// <typeparam name="TOptions">The call's options type.</typeparam>
    /// <param name="properties">The call's additional properties, or <see langword="null"/>.</param>
    /// <param name="context">The context the call was made in (capture it when the call is made, not when a stream is read).</param>
    /// <param name="selectCustomer">The gate's customer selector, consulted only when neither the call nor the context names a customer.</param>
    /// <param name="input">The selector's first argument.</param>
    /// <param name="options">The selector's second argument.</param>
    /// <param name="agentId">The gate's agent label.</param>
    /// <exception cref="ArgumentException">A property the gate reads is not a string.</exception>
    /// <remarks>The selector comes with its arguments rather than as a closure, so resolving allocates nothing.</remarks>
    public static ModelCallParties Resolve<TInput, TOptions>(
        AdditionalPropertiesDictionary? properties,
        AgentBillContext? context,
        Func<TInput, TOptions, string?>? selectCustomer,
        TInput input,
        TOptions options,
        string agentId)
        => new(
            Read(properties, AgentBillPropertyNames.AgentId) ?? context?.AgentId ?? agentId,
            Read(properties, AgentBillPropertyNames.CustomerId) ?? context?.CustomerId ?? selectCustomer?.Invoke(input, options),
            Read(properties, AgentBillPropertyNames.TaskRef) ?? context?.TaskRef);

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
