using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill;

/// <summary>The client that <c>[Gate]</c> methods use when their type has no <see cref="IAgentBill"/> field or property.</summary>
public static class AgentBillGate
{
    private static IAgentBill? _defaultClient;

    /// <summary>
    /// Gets or sets the process-wide client of gated calls. Nothing sets it on its own: assign it at start-up, or
    /// call <see cref="UseAgentBillGates"/> on the built service provider. A gated call with no client of its own
    /// and none set here is refused with <see cref="InvalidOperationException"/>, never run ungated.
    /// </summary>
    public static IAgentBill? DefaultClient
    {
        get => Volatile.Read(ref _defaultClient);
        set => Volatile.Write(ref _defaultClient, value);
    }

    /// <summary>
    /// Makes the container's <see cref="IAgentBill"/> the client of every <c>[Gate]</c> method without one of its own.
    /// Calling it again with the same container changes nothing.
    /// </summary>
    /// <param name="services">The built service provider.</param>
    /// <returns>The same provider.</returns>
    /// <exception cref="InvalidOperationException">
    /// Another client is the default already (another container, or one assigned by hand): gated calls would be
    /// charged to whichever came last. Set <see cref="DefaultClient"/> to <see langword="null"/> first to replace it on purpose.
    /// </exception>
    public static IServiceProvider UseAgentBillGates(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var client = services.GetRequiredService<IAgentBill>();
        var previous = Interlocked.CompareExchange(ref _defaultClient, client, null);
        if (previous is not null && !ReferenceEquals(previous, client))
        {
            throw new InvalidOperationException(
                "AgentBillGate.DefaultClient is already another client (another service provider, or one set by hand). " +
                "Set AgentBillGate.DefaultClient = null first to replace it, or give the gated types an IAgentBill field or property of their own.");
        }

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
            "call IServiceProvider.UseAgentBillGates() after building the container that has AddAgentBill(), or set AgentBillGate.DefaultClient.");
}
