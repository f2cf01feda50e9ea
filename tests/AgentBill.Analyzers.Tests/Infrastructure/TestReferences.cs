using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.Analyzers.Tests;

/// <summary>
/// The references of the code under test, all from this machine: every assembly the test process runs on
/// (the .NET runtime and the packages this project references), plus the stand-ins. Nothing is downloaded.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_runtime = new(LoadRuntime);

    /// <summary>Gets reference assemblies with no package: the references come from <see cref="All"/> instead.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> Runtime => s_runtime.Value;

    public static IEnumerable<MetadataReference> All => Runtime.Append(StandIns.Reference);

    private static ImmutableArray<MetadataReference> LoadRuntime()
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                paths.Add(path);
            }
        }

        // The model APIs under test must be there even if the host trims its list.
        paths.Add(typeof(IChatClient).Assembly.Location);
        paths.Add(typeof(ChatClientBuilder).Assembly.Location);
        paths.Add(typeof(Kernel).Assembly.Location);
        paths.Add(typeof(KernelExtensions).Assembly.Location);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
