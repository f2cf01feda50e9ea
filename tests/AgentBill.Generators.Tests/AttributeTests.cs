using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Generators.Tests;

/// <summary>
/// The generated code declares one internal InterceptsLocationAttribute per assembly; these are the cases where
/// another declaration of it is in reach.
/// </summary>
public sealed class AttributeTests
{
    private static readonly (string Path, string Source) Agent = ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run(int x) => x;"));
    private static readonly (string Path, string Source) Program = ("Program.cs", Sources.Program("_ = agent.Run(1);"));

    [Fact]
    public void The_assembly_gets_one_declaration_for_all_its_generated_files()
    {
        var run = GeneratorHarness.Run(Agent, Program, ("Other.cs", "namespace App; public static class Other { public static int Go(Agent agent) => agent.Run(2); }"));

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.Result.GeneratedTrees, t => t.ToString().Contains("class InterceptsLocationAttribute", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_without_gates_gets_no_generated_file()
    {
        var run = GeneratorHarness.Run(("Plain.cs", "namespace App; public static class Plain { public static int Run() => 1; public static int Go() => Run(); }"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Result.GeneratedTrees);
    }

    [Fact]
    public void A_declaration_in_the_projects_own_sources_is_used_instead()
    {
        var run = GeneratorHarness.Run(Agent, Program, ("Polyfill.cs", """
            namespace System.Runtime.CompilerServices;

            [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
            internal sealed class InterceptsLocationAttribute(int version, string data) : Attribute;
            """));

        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(run.Result.GeneratedTrees, t => t.FilePath.EndsWith("InterceptsLocationAttribute.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_generators_file_local_declaration_coexists()
    {
        var run = GeneratorHarness.Run(Agent, Program, ("Other.g.cs", """
            namespace System.Runtime.CompilerServices
            {
                [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
                file sealed class InterceptsLocationAttribute(int version, string data) : Attribute;
            }
            """));

        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void A_referenced_assembly_whose_internals_are_visible_does_not_conflict()
    {
        // Both assemblies declare the attribute; in the second, the first's is visible too, and the compiler
        // warns (CS0436) wherever it picks its own: the generated files must not let that warning through.
        var library = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run(int x) => x; public int Go() => Run(1);")),
            ("Visible.cs", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]"));
        Assert.Empty(library.Diagnostics);
        using var image = new MemoryStream();
        Assert.True(library.Output.Emit(image).Success);

        var app = GeneratorHarness.Compile(Program).WithAssemblyName("App").AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        // The method is the library's: its body is written beside its interceptors, never the library's internal one.
        Assert.Contains(driver.GetRunResult().GeneratedTrees, t => t.ToString().Contains("file static class Agent_Run_", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.Contains(".Gate.g.cs", StringComparison.Ordinal) == true));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
