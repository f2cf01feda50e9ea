using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// What the analyzer can see of the chat client an agent is built on: whether a gate is in it, whether it runs its
/// own tool loop, and where a fix could gate it. Read from the fluent chain (and single-assignment locals) only;
/// a client from a parameter, a field or a method of the project is <see cref="AgentGating.Unknown"/>, and never reported.
/// </summary>
internal readonly struct AgentChatClient
{
    private AgentChatClient(AgentGating gating, bool ownToolLoop, IOperation? buildCall, IOperation? client)
    {
        Gating = gating;
        OwnToolLoop = ownToolLoop;
        BuildCall = buildCall;
        Client = client;
    }

    public AgentGating Gating { get; }

    /// <summary>Gets whether the client's pipeline has its own function invocation.</summary>
    public bool OwnToolLoop { get; }

    /// <summary>Gets the <c>Build()</c> of the client's builder chain, before which <c>.UseAgentBill()</c> goes inside its tool loop.</summary>
    public IOperation? BuildCall { get; }

    /// <summary>Gets the client expression itself, when it is not a builder chain: the fix wraps it.</summary>
    public IOperation? Client { get; }

    public static AgentChatClient OfClient(IOperation? client, AgentSymbols symbols) => ReadClient(client, symbols, depth: 0);

    /// <summary>Reads a <c>ChatClientBuilder</c> chain ending in <paramref name="terminal"/> (its <c>Build()</c> or <c>BuildAIAgent()</c>).</summary>
    public static AgentChatClient OfBuilder(IOperation? builder, IOperation terminal, AgentSymbols symbols)
    {
        var gated = false;
        var loop = false;
        var current = builder?.Unwrap();
        while (current is IInvocationOperation step && step.Type.IsOrDerivesFrom(symbols.ChatClientBuilder))
        {
            gated |= symbols.IsChatUseAgentBill(step);
            loop |= step.TargetMethod.Name == "UseFunctionInvocation";
            if (step.TargetMethod.Name == "AsBuilder" && step.TargetMethod.ExtendedType().IsOrImplements(symbols.ChatClient))
            {
                return Merge(gated, loop, terminal, ReadClient(step.Receiver(), symbols, depth: 1));
            }

            current = step.Receiver()?.Unwrap();
        }

        var root = current is IObjectCreationOperation creation && creation.Type.IsOrDerivesFrom(symbols.ChatClientBuilder)
            ? ReadClient(FirstClientArgument(creation.Arguments, symbols), symbols, depth: 1)
            : new AgentChatClient(AgentGating.Unknown, false, null, null);
        return Merge(gated, loop, terminal, root);
    }

    private static AgentChatClient Merge(bool gated, bool loop, IOperation terminal, AgentChatClient inner)
    {
        var gating = gated || inner.Gating == AgentGating.Gated ? AgentGating.Gated : inner.Gating;
        return new AgentChatClient(gating, loop || inner.OwnToolLoop, terminal, null);
    }

    private static AgentChatClient ReadClient(IOperation? value, AgentSymbols symbols, int depth)
    {
        var client = value?.Unwrap();
        if (client is null || depth > 8)
        {
            return new AgentChatClient(AgentGating.Unknown, false, null, null);
        }

        if (client.Type.IsOrDerivesFrom(symbols.AgentBillChatClient))
        {
            return new AgentChatClient(AgentGating.Gated, false, null, client);
        }

        switch (client)
        {
            case IInvocationOperation { TargetMethod.Name: "Build" } build when build.Receiver()?.Type.IsOrDerivesFrom(symbols.ChatClientBuilder) == true:
                return OfBuilder(build.Receiver(), build, symbols);
            case IObjectCreationOperation creation when creation.Type.IsOrDerivesFrom(symbols.DelegatingChatClient):
                // Middleware made by hand: a tool loop of its own when it is function invocation, else what it wraps.
                var inner = ReadClient(FirstClientArgument(creation.Arguments, symbols), symbols, depth + 1);
                return new AgentChatClient(inner.Gating, inner.OwnToolLoop || creation.Type.IsOrDerivesFrom(symbols.FunctionInvokingChatClient), null, client);
            case IObjectCreationOperation:
                // A model client made here: nothing gates it.
                return new AgentChatClient(AgentGating.Ungated, false, null, client);
            case IInvocationOperation call when !IsFromSource(call.TargetMethod):
                // A library's factory of model clients (AsIChatClient(), GetChatClient()): ungated.
                return new AgentChatClient(AgentGating.Ungated, false, null, client);
            case ILocalReferenceOperation local when SingleWrite(local) is { } written:
                var read = ReadClient(written, symbols, depth + 1);
                return new AgentChatClient(read.Gating, read.OwnToolLoop, read.BuildCall, read.BuildCall is null ? client : null);
            default:
                return new AgentChatClient(AgentGating.Unknown, false, null, null);
        }
    }

    private static IOperation? SingleWrite(ILocalReferenceOperation reference)
    {
        IOperation? only = null;
        foreach (var write in LocalWrites.Find(reference.Root(), reference.Local))
        {
            if (write is null || only is not null)
            {
                return null;
            }

            only = write;
        }

        return only;
    }

    private static IOperation? FirstClientArgument(IEnumerable<IArgumentOperation> arguments, AgentSymbols symbols)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.IsOrImplements(symbols.ChatClient) == true)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static bool IsFromSource(IMethodSymbol method)
    {
        foreach (var location in method.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Whether an agent's chat client is gated, as far as the analyzer can see.</summary>
internal enum AgentGating
{
    Unknown,
    Ungated,
    Gated,
}
