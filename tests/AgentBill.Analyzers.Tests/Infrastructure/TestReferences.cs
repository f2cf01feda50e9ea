using System.Collections.Immutable;
using AgentBill.Extensions.AI;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.Analyzers.Tests;

/// <summary>
/// The references of the code under test, all from this machine: every assembly the test process runs on (the
/// .NET runtime, the packages this project references: Microsoft.Extensions.AI, Semantic Kernel, OpenAI, the Agent
/// Framework) and the
/// real AgentBill assemblies, built from this repository. Nothing is downloaded, and nothing stands in for them.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_runtime = new(Load);

    /// <summary>Gets reference assemblies with no package: the references come from <see cref="All"/> instead.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>Gets the assemblies of this process: the runtime, the model APIs, AgentBill.</summary>
    public static ImmutableArray<MetadataReference> Runtime => s_runtime.Value;

    /// <summary>Gets <see cref="Runtime"/> and the application's own gating kernel filters.</summary>
    public static IEnumerable<MetadataReference> All => Runtime.Append(GatingKernelFilters.Reference);

    private static ImmutableArray<MetadataReference> Load()
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                paths.Add(path);
            }
        }

        // The APIs under test must be there even if the host trims its list.
        paths.Add(typeof(IChatClient).Assembly.Location);
        paths.Add(typeof(ChatClientBuilder).Assembly.Location);
        paths.Add(typeof(Kernel).Assembly.Location);
        paths.Add(typeof(KernelExtensions).Assembly.Location);
        paths.Add(typeof(OpenAI.OpenAIClient).Assembly.Location);
        paths.Add(typeof(OpenAIClientExtensions).Assembly.Location);
        paths.Add(typeof(AgentBillClient).Assembly.Location);
        paths.Add(typeof(AgentBillChatClient).Assembly.Location);
        paths.Add(typeof(AgentBill.Agents.AI.AgentBillAgent).Assembly.Location);
        paths.Add(typeof(Microsoft.Agents.AI.AIAgent).Assembly.Location);
        paths.Add(typeof(Microsoft.Agents.AI.ChatClientAgent).Assembly.Location);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
