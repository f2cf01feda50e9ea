using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBill.Analyzers.Tests;

/// <summary>
/// What test code compiles against: the running runtime's assemblies and the packages this project references.
/// <see cref="None"/> names no reference-assembly package, so the testing library downloads nothing.
/// </summary>
internal static class TestReferences
{
    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> All { get; } = Load();

    /// <summary>A library named like a test framework: a project that references one is test code.</summary>
    public static MetadataReference TestFramework { get; } = Stub("xunit.core");

    private static ImmutableArray<MetadataReference> Load()
    {
        var packages = new[]
        {
            typeof(Microsoft.Extensions.AI.IChatClient).Assembly,
            typeof(Microsoft.Extensions.AI.ChatClientBuilder).Assembly,
            typeof(Microsoft.SemanticKernel.Kernel).Assembly,
            typeof(Microsoft.SemanticKernel.KernelExtensions).Assembly,
            typeof(AgentBill.IAgentBill).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly,
            typeof(Microsoft.Extensions.Logging.ILogger).Assembly,
        }.Select(a => a.Location);
        // The shared framework only: the test process's own dependencies (xunit among them) are not the test code's.
        var framework = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(path => !Path.GetFileName(path).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal));
        return [.. framework
            .Concat(packages)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))];
    }

    private static MetadataReference Stub(string assemblyName)
    {
        var compilation = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText("namespace Xunit { public sealed class FactAttribute : System.Attribute { } }")], All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        compilation.Emit(image);
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
