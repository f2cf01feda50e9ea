using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0006: a <c>ChatClientAgent</c> (<c>AsAIAgent</c>, <c>BuildAIAgent</c>, <c>new ChatClientAgent</c>) built on a chat
/// client that no AgentBill gate covers, and not wrapped by <c>UseAgentBill()</c> on its agent builder in the same chain.
/// AGB0007: that agent-level <c>UseAgentBill()</c> over a chat client that runs its own ungated tool loop, which the
/// agent middleware cannot reach (its <c>Build()</c> throws).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UngatedAgentChatClientAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AgentDiagnostics.UngatedAgentChatClient, AgentDiagnostics.UngatedAgentToolLoop);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = AgentSymbols.Create(start.Compilation);
            if (symbols.Present)
            {
                start.RegisterOperationAction(c => AnalyzeCall(c, symbols), OperationKind.Invocation);
                start.RegisterOperationAction(c => AnalyzeCreation(c, symbols), OperationKind.ObjectCreation);
            }
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, AgentSymbols symbols)
    {
        var call = (IInvocationOperation)context.Operation;
        if (symbols.IsAgentUseAgentBill(call))
        {
            // AGB0007 is reported here, at the agent's UseAgentBill(), from the agent it wraps.
            if (AgentBelow(call, symbols) is { } agent && ChatClientOf(agent, symbols) is { Gating: AgentGating.Ungated, OwnToolLoop: true } loop)
            {
                var fix = FixOf(loop);
                context.ReportDiagnostic(Diagnostic.Create(AgentDiagnostics.UngatedAgentToolLoop, CallSite.NameLocation(call), fix.Locations, fix.Properties));
            }

            return;
        }

        if (ChatClientOf(call, symbols) is { } client)
        {
            ReportUngated(context, call, CallSite.NameLocation(call), call.TargetMethod.Name, client, symbols);
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, AgentSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (ChatClientOf(creation, symbols) is { } client)
        {
            ReportUngated(context, creation, creation.Syntax.GetLocation(), "new " + creation.Type!.Name, client, symbols);
        }
    }

    /// <summary>What an agent-making operation builds its agent on: <c>AsAIAgent</c>, <c>BuildAIAgent</c> or <c>new ChatClientAgent</c>.</summary>
    private static AgentChatClient? ChatClientOf(IOperation agent, AgentSymbols symbols)
    {
        switch (agent)
        {
            case IInvocationOperation call when call.TargetMethod.ReturnType.IsOrDerivesFrom(symbols.ChatClientAgent):
                var extended = call.TargetMethod.ExtendedType();
                return call.TargetMethod.Name switch
                {
                    "AsAIAgent" when extended.IsOrImplements(symbols.ChatClient) => AgentChatClient.OfClient(call.Receiver(), symbols),
                    "BuildAIAgent" when extended.IsOrDerivesFrom(symbols.ChatClientBuilder) => AgentChatClient.OfBuilder(call.Receiver(), call, symbols),
                    _ => null,
                };
            case IObjectCreationOperation creation when creation.Type.IsOrDerivesFrom(symbols.ChatClientAgent) && creation.Arguments.Length > 0:
                return AgentChatClient.OfClient(creation.Arguments[0].Value, symbols);
            default:
                return null;
        }
    }

    private static void ReportUngated(OperationAnalysisContext context, IOperation agent, Location location, string madeBy, AgentChatClient client, AgentSymbols symbols)
    {
        // With UseAgentBill() on the agent's builder, the middleware inserts a gate (or AGB0007 says why it cannot).
        if (client.Gating == AgentGating.Ungated && AgentLevelUseAgentBill(agent, symbols) is null)
        {
            var fix = FixOf(client);
            context.ReportDiagnostic(Diagnostic.Create(AgentDiagnostics.UngatedAgentChatClient, location, fix.Locations, fix.Properties, madeBy));
        }
    }

    /// <summary>The agent an agent builder's step wraps: down its chain through the builder's steps and <c>AsBuilder()</c>.</summary>
    private static IOperation? AgentBelow(IInvocationOperation step, AgentSymbols symbols)
    {
        var current = step.Receiver()?.Unwrap();
        while (current is IInvocationOperation call && (call.TargetMethod.Name == "AsBuilder" || call.Type.IsOrDerivesFrom(symbols.AgentBuilder)))
        {
            current = call.Receiver()?.Unwrap();
        }

        return current;
    }

    /// <summary>The agent builder's <c>UseAgentBill()</c> in the fluent chain the agent goes on to: <c>agent.AsBuilder()...UseAgentBill()</c>.</summary>
    private static IInvocationOperation? AgentLevelUseAgentBill(IOperation agent, AgentSymbols symbols)
    {
        for (var current = agent; NextCall(current) is { } call; current = call)
        {
            if (symbols.IsAgentUseAgentBill(call))
            {
                return call;
            }

            // Only AsBuilder() and the agent builder's own steps lead from the agent to its UseAgentBill().
            if (!call.Type.IsOrDerivesFrom(symbols.AgentBuilder))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The call made on a value next in its fluent chain (as instance or as an extension's <c>this</c>), or <see langword="null"/>.</summary>
    private static IInvocationOperation? NextCall(IOperation value)
    {
        var parent = value.ParentSkippingConversions();
        if (parent is IArgumentOperation argument)
        {
            parent = argument.ParentSkippingConversions();
        }

        return parent is IInvocationOperation call && ReferenceEquals(call.Receiver()?.Unwrap(), value) ? call : null;
    }

    private static (ImmutableArray<Location> Locations, ImmutableDictionary<string, string?> Properties) FixOf(AgentChatClient client)
    {
        if (client.BuildCall is { } build)
        {
            return (ImmutableArray.Create(build.Syntax.GetLocation()), ImmutableDictionary<string, string?>.Empty.Add(FixProperties.BuildCall, FixProperties.True));
        }

        return client.Client is { } wrapped
            ? (ImmutableArray.Create(wrapped.Syntax.GetLocation()), ImmutableDictionary<string, string?>.Empty.Add(AgentDiagnostics.FixKind, AgentDiagnostics.WrapClient))
            : (ImmutableArray<Location>.Empty, ImmutableDictionary<string, string?>.Empty);
    }
}
