using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBill.Analyzers.Tests;

/// <summary>An analyzer test on the local references, with an optional .editorconfig body.</summary>
internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(string source, string? editorConfig = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        TestState.OutputKind = outputKind;
        TestCode = source;
        if (editorConfig is not null)
        {
            TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }
    }

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<TAnalyzer>(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>A code-fix test on the local references; the fixed code is compared exactly.</summary>
internal sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        FixedState.AdditionalReferences.AddRange(TestReferences.All);
        TestCode = source;
        FixedCode = fixedSource;
    }

    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null)
    {
        var test = new CodeFixTest<TAnalyzer, TCodeFix>(source, fixedSource) { CodeActionEquivalenceKey = equivalenceKey };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
