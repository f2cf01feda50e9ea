using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBill.Analyzers.Tests;

/// <summary>Runs an analyzer (and a fix) over test code marked with <c>[|…|]</c> where a diagnostic must be, nowhere else.</summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task AnalyzerAsync(string source, string? editorConfig = null, bool testProject = false, params string[] additionalSources)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Prepare(test.TestState, editorConfig, testProject, additionalSources);
        test.ReferenceAssemblies = TestReferences.None;
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource, params string[] additionalSources)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> { TestCode = source, FixedCode = fixedSource, ReferenceAssemblies = TestReferences.None };
        Prepare(test.TestState, null, false, additionalSources);
        Prepare(test.FixedState, null, false, additionalSources);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    private static void Prepare(SolutionState state, string? editorConfig, bool testProject, string[] additionalSources)
    {
        state.AdditionalReferences.AddRange(TestReferences.All);
        if (testProject)
        {
            state.AdditionalReferences.Add(TestReferences.TestFramework);
        }

        foreach (var (source, index) in additionalSources.Select((s, i) => (s, i)))
        {
            state.Sources.Add(($"/Additional{index}.cs", source));
        }

        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\n" + editorConfig));
        }
    }
}
