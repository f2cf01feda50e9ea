using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Analyzers.Tests;

/// <summary>
/// Semantic Kernel filters that gate, as an application (or a future AgentBill package) writes them: they carry the
/// real <c>[GatesModelCalls]</c> marker of the real AgentBill assembly, which is all the analyzer looks at. AgentBill
/// ships no Semantic Kernel package, so these are not copies of its types. Compiled once into an assembly, so the
/// code under test sees them as metadata, like a package reference.
/// </summary>
internal static class GatingKernelFilters
{
    public const string Namespace = "Acme.Gating";

    private const string Source = """
        using System;
        using System.Threading.Tasks;
        using AgentBill;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;

        namespace Acme.Gating;

        [GatesModelCalls]
        public sealed class GatingFunctionFilter(IAgentBill bill) : IFunctionInvocationFilter
        {
            public IAgentBill Bill { get; } = bill;

            public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) => next(context);
        }

        [GatesModelCalls]
        public sealed class GatingAutoFunctionFilter(IAgentBill bill) : IAutoFunctionInvocationFilter
        {
            public IAgentBill Bill { get; } = bill;

            public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next) => next(context);
        }

        public static class GatingKernelBuilderExtensions
        {
            [GatesModelCalls]
            public static IKernelBuilder AddGatingFilters(this IKernelBuilder builder, IAgentBill? bill = null) => builder;

            [GatesModelCalls]
            public static IServiceCollection AddGatingKernelFilters(this IServiceCollection services) => services;
        }
        """;

    private static readonly Lazy<MetadataReference> s_reference = new(Compile);

    public static MetadataReference Reference => s_reference.Value;

    private static MetadataReference Compile()
    {
        var compilation = CSharpCompilation.Create(
            "Acme.Gating",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.Runtime,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The gating filters do not compile: " + string.Join(Environment.NewLine, result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
