using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBill.Analyzers.Tests;

/// <summary>Every diagnostic has an id, a help page that exists, a release entry, and a configurable severity.</summary>
public sealed class DiagnosticCatalogueTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(UngatedLlmCallAnalyzer).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
        .ToArray();

    [Fact]
    public void The_analyzers_report_exactly_the_seven_AGB0xxx_diagnostics()
        => Assert.Equal(
            ["AGB0001", "AGB0002", "AGB0003", "AGB0004", "AGB0005", "AGB0006", "AGB0007"],
            Descriptors.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));

    [Fact]
    public void Every_help_link_points_to_an_existing_page_under_docs_diagnostics()
    {
        foreach (var descriptor in Descriptors)
        {
            Assert.Equal($"https://github.com/agentbill/agentbill-dotnet/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "docs", "diagnostics", descriptor.Id + ".md")), descriptor.Id);
        }
    }

    [Fact]
    public void Every_diagnostic_is_listed_in_the_unshipped_release_with_its_category_and_severity()
    {
        var releases = File.ReadAllText(Path.Combine(RepositoryRoot(), "analyzers", "AgentBill.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in Descriptors)
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_diagnostic_is_enabled_by_default_and_configurable()
    {
        foreach (var descriptor in Descriptors)
        {
            Assert.True(descriptor.IsEnabledByDefault, descriptor.Id);
            Assert.DoesNotContain(WellKnownDiagnosticTags.NotConfigurable, descriptor.CustomTags);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()), descriptor.Id);
            Assert.StartsWith("AgentBill.", descriptor.Category, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_analyzer_assembly_does_not_reference_Workspaces()
        => Assert.DoesNotContain(
            typeof(UngatedLlmCallAnalyzer).Assembly.GetReferencedAssemblies(),
            name => name.Name!.StartsWith("Microsoft.CodeAnalysis.Workspaces", StringComparison.Ordinal)
                    || name.Name!.StartsWith("Microsoft.CodeAnalysis.CSharp.Workspaces", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentBill.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AgentBill.sln not found above " + AppContext.BaseDirectory);
    }
}
