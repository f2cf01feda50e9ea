using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill;

/// <summary>The client that <c>[Gate]</c> methods use when their type has no <see cref="IAgentBill"/> field or property.</summary>
public static class AgentBillGate
{
    private static IAgentBill? _defaultClient;

    /// <summary>
    /// Gets or sets the process-wide client of gated calls. The first <see cref="AgentBillClient"/> that
    /// dependency injection creates sets itself here when nothing is set; <see cref="UseAgentBillGates"/>
    /// sets it explicitly at start-up.
    /// </summary>
    public static IAgentBill? DefaultClient
    {
        get => Volatile.Read(ref _defaultClient);
        set => Volatile.Write(ref _defaultClient, value);
    }

    /// <summary>Makes the container's <see cref="IAgentBill"/> the client of every <c>[Gate]</c> method without one of its own.</summary>
    /// <param name="services">The built service provider.</param>
    /// <returns>The same provider.</returns>
    public static IServiceProvider UseAgentBillGates(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        DefaultClient = services.GetRequiredService<IAgentBill>();
        return services;
    }

    /// <summary>Picks the client of a gated call. Used by generated code.</summary>
    /// <param name="own">The containing type's client, if it has one.</param>
    /// <param name="method">The gated method, for the error message.</param>
    /// <exception cref="InvalidOperationException">No client is available: the call is refused rather than run ungated.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IAgentBill ClientFor(IAgentBill? own, string method)
        => own ?? DefaultClient ?? throw new InvalidOperationException(
            $"The gated method {method} has no AgentBill client: give its type a field or property of type IAgentBill, " +
            "call services.AddAgentBill() and resolve it (or IServiceProvider.UseAgentBillGates()), or set AgentBillGate.DefaultClient.");

    internal static void OfferDefault(IAgentBill client) => Interlocked.CompareExchange(ref _defaultClient, client, null);
}
