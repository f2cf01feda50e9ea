using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>Recognises the calls that put an AgentBill gate on a pipeline or a kernel.</summary>
internal sealed class GatingCalls
{
    private readonly KnownSymbols _symbols;

    public GatingCalls(KnownSymbols symbols) => _symbols = symbols;

    /// <summary>
    /// Gets whether the call is a <c>UseAgentBill()</c>-like step: an extension method marked <c>[GatesModelCalls]</c>
    /// on a chat-client or embedding-generator builder.
    /// </summary>
    public bool IsUseAgentBill(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!_symbols.IsGatingMethod(method))
        {
            return false;
        }

        var extended = method.ExtendedType();
        return extended.IsOrDerivesFrom(_symbols.ChatClientBuilder) || extended.IsOrDerivesFrom(_symbols.EmbeddingGeneratorBuilder);
    }

    /// <summary>
    /// Gets whether the call registers a gating Semantic Kernel filter: an Add/Insert whose argument or type argument
    /// is one (<c>kernel.FunctionInvocationFilters.Add(...)</c>, <c>Services.AddSingleton&lt;IFunctionInvocationFilter, F&gt;()</c>),
    /// or a method marked <c>[GatesModelCalls]</c> on a kernel, a kernel builder or the services a kernel is built from.
    /// </summary>
    public bool IsKernelFilterRegistration(IInvocationOperation invocation)
    {
        if (_symbols.FunctionInvocationFilter is null && _symbols.AutoFunctionInvocationFilter is null)
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (_symbols.IsGatingMethod(method))
        {
            var configured = method.ExtendedType() ?? invocation.Instance?.Type;
            return configured.IsOrDerivesFrom(_symbols.Kernel)
                   || configured.IsOrImplements(_symbols.KernelBuilder)
                   || configured.IsOrImplements(_symbols.ServiceCollection);
        }

        if (!method.Name.StartsWith("Add", StringComparison.Ordinal)
            && !method.Name.StartsWith("TryAdd", StringComparison.Ordinal)
            && !method.Name.StartsWith("Insert", StringComparison.Ordinal))
        {
            return false;
        }

        var registersFilterInterface = false;
        foreach (var typeArgument in method.TypeArguments)
        {
            if (_symbols.IsGatingKernelFilter(typeArgument))
            {
                return true;
            }

            registersFilterInterface |= IsFilterInterface(typeArgument);
        }

        foreach (var argument in invocation.Arguments)
        {
            var value = argument.Value.Unwrap();
            if (_symbols.IsGatingKernelFilter(value.Type)
                || (registersFilterInterface && CreatesAgentBillFilter(value)))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsGating(IInvocationOperation invocation) => IsUseAgentBill(invocation) || IsKernelFilterRegistration(invocation);


    private bool IsFilterInterface(ITypeSymbol type)
        => SymbolEqualityComparer.Default.Equals(type, _symbols.FunctionInvocationFilter)
           || SymbolEqualityComparer.Default.Equals(type, _symbols.AutoFunctionInvocationFilter);

    // A factory registered for a filter interface (AddSingleton<IFunctionInvocationFilter>(sp => new AgentBillFunctionFilter(...)))
    // registers the filter it creates; only such calls have their lambdas looked into.
    private bool CreatesAgentBillFilter(IOperation value)
    {
        if (value is not IDelegateCreationOperation and not IAnonymousFunctionOperation)
        {
            return false;
        }

        foreach (var descendant in value.Descendants())
        {
            if (descendant is IObjectCreationOperation creation && _symbols.IsGatingKernelFilter(creation.Type))
            {
                return true;
            }
        }

        return false;
    }
}
