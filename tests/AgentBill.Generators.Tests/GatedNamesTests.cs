using AgentBill.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace AgentBill.Generators.Tests;

/// <summary>
/// The name test the call-site parsers run before binding: never misses a gate (aliases, qualified names,
/// referenced assemblies), and in a compilation without one, lets nothing through.
/// </summary>
public sealed class GatedNamesTests
{
    [Fact]
    public void A_compilation_without_gates_lets_no_name_through()
    {
        var compilation = GeneratorHarness.Compile(("Plain.cs", "namespace App; public static class Plain { public static int Run() => Run(); }"));

        Assert.False(GatedNames.MayBeGated(compilation, "Run"));
    }

    [Theory]
    [InlineData("using AgentBill; public static class A { [Gate(\"a\")] public static int Run() => 1; }")]
    [InlineData("public static class A { [AgentBill.GateAttribute(\"a\")] public static int Run() => 1; }")]
    [InlineData("public static class A { [global::AgentBill.Gate(\"a\")] public static int Run() => 1; }")]
    [InlineData("using G = AgentBill.GateAttribute; public static class A { [G(\"a\")] public static int Run() => 1; }")]
    [InlineData("using MeteredAttribute = AgentBill.GateAttribute; public static class A { [Metered(\"a\")] public static int Run() => 1; }")]
    [InlineData("using AgentBill; public interface IAgent { [Gate(\"a\")] int Run(); }")]
    public void Every_spelling_of_the_gate_lets_its_methods_name_through(string source)
    {
        var compilation = GeneratorHarness.Compile(("A.cs", source));

        Assert.True(GatedNames.MayBeGated(compilation, "Run"));
        Assert.False(GatedNames.MayBeGated(compilation, "Walk"));
    }

    [Fact]
    public void A_global_alias_in_another_file_counts()
    {
        var compilation = GeneratorHarness.Compile(
            ("Usings.cs", "global using Metered = AgentBill.GateAttribute;"),
            ("A.cs", "public static class A { [Metered(\"a\")] public static int Run() => 1; }"));

        Assert.True(GatedNames.MayBeGated(compilation, "Run"));
    }

    [Fact]
    public void The_gated_methods_of_a_referenced_assembly_count()
    {
        var library = GeneratorHarness.Compile(("Lib.cs", "using AgentBill; namespace Lib; public static class Agents { [Gate(\"a\")] public static int Ask() => 1; public static int Plain() => 2; }"));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);

        var app = GeneratorHarness.Compile(("App.cs", "namespace App; public static class Use { public static int Go() => Lib.Agents.Ask(); }"))
            .AddReferences(MetadataReference.CreateFromImage(image.ToArray()));

        Assert.True(GatedNames.MayBeGated(app, "Ask"));
        Assert.False(GatedNames.MayBeGated(app, "Plain"));
    }
}
