using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Generators.Tests;

/// <summary>The generator redoes only what an edit touches, and caches only plain data.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps = [TrackingNames.CallSites, TrackingNames.Interceptors, TrackingNames.GatedMethods, TrackingNames.Bodies, TrackingNames.DelegateUses];

    private static readonly (string Path, string Source)[] Files =
    [
        ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run(int x) => x; [Gate(\"w\")] public int Walk(int x) => x;")),
        ("First.cs", "namespace App; public static class First { public static int Go(Agent agent) => agent.Run(1); }"),
        ("Second.cs", "namespace App; public static class Second { public static int Go(Agent agent) => agent.Walk(2) + agent.Run(2); }"),
        ("Unrelated.cs", "namespace App; public static class Unrelated { public static int Value => 1; }"),
        ("Contract.cs", "using AgentBill; namespace App; public interface IContract { [Gate(\"c\")] int Serve(); } public sealed class Service : IContract { public int Serve() => 1; }"),
        ("Through.cs", "namespace App; public static class Through { public static int Go(IContract c, Service s) => c.Serve() + s.Serve(); }"),
        ("Delegate.cs", "namespace App; public static class Delegate { public static System.Func<int, int> Of(Agent agent) => agent.Run; }"),
    ];

    [Fact]
    public void An_edit_in_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = RunOnce();

        var edited = Replace(compilation, "Unrelated.cs", "namespace App; public static class Unrelated { public static int Value => 2; }");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertCachedOrUnchanged(TrackedSteps.SelectMany(name => result.TrackedSteps[name]));
        AssertCachedOrUnchanged(result.TrackedOutputSteps.SelectMany(s => s.Value));
    }

    [Fact]
    public void Adding_a_call_changes_only_the_interceptors_of_the_methods_its_file_calls()
    {
        var result = RunAfterAddingACallToFirst();

        var methods = result.TrackedSteps[TrackingNames.Interceptors].SelectMany(step => step.Outputs).ToList();
        var changed = methods.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).Select(o => ((Model.MethodCallSites)o.Value).Method.DisplayName).ToList();
        var untouched = methods.Where(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged).Select(o => ((Model.MethodCallSites)o.Value).Method.DisplayName).ToList();
        Assert.Equal(["Agent.Run"], changed);
        Assert.Equal(["Agent.Walk", "IContract.Serve"], untouched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Editing_a_calling_file_leaves_the_gating_bodies_cached()
    {
        var result = RunAfterAddingACallToFirst();

        var bodies = result.TrackedSteps[TrackingNames.Bodies].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(3, bodies.Count);
        AssertCachedOrUnchanged(new[] { TrackingNames.GatedMethods, TrackingNames.Bodies }.SelectMany(name => result.TrackedSteps[name]));
    }

    [Fact]
    public void Every_tracked_step_runs_and_an_unrelated_edit_leaves_each_cached_or_unchanged()
    {
        var (driver, compilation) = RunOnce();
        var first = driver.GetRunResult().Results.Single();
        Assert.All(TrackedSteps, name => Assert.True(first.TrackedSteps.ContainsKey(name), name + " is not tracked"));

        var edited = Replace(compilation, "Unrelated.cs", "namespace App; public static class Unrelated { public static int Value => 3; public static int Run() => 0; }");
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in TrackedSteps)
        {
            AssertCachedOrUnchanged(second.TrackedSteps[name]);
        }
    }

    [Fact]
    public void Adding_a_gate_elsewhere_binds_calls_of_the_new_name_and_keeps_the_other_methods_interceptors()
    {
        var (driver, compilation) = RunOnce();

        var edited = Replace(compilation, "Unrelated.cs", "using AgentBill; namespace App; public static class Unrelated { [Gate(\"u\")] public static int Value() => 1; public static int Use() => Value(); }");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var methods = result.TrackedSteps[TrackingNames.Interceptors].SelectMany(step => step.Outputs).ToList();
        Assert.Contains(methods, o => ((Model.MethodCallSites)o.Value).Method.DisplayName == "Unrelated.Value");
        Assert.All(methods.Where(o => ((Model.MethodCallSites)o.Value).Method.DisplayName != "Unrelated.Value"), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Gating_a_method_in_one_file_intercepts_its_existing_calls_in_unedited_files()
    {
        var compilation = GeneratorHarness.Compile(
            ("Helper.cs", "namespace App; public static class Helper { public static int Go() => 1; }"),
            ("Caller.cs", "namespace App; public static class Caller { public static int Use() => Helper.Go(); }"));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.DoesNotContain(driver.GetRunResult().GeneratedTrees, t => t.FilePath.EndsWith(".Gate.g.cs", StringComparison.Ordinal));

        var gated = Replace(compilation, "Helper.cs", "using AgentBill; namespace App; public static class Helper { [Gate(\"h\")] public static int Go() => 1; }");
        var result = driver.RunGenerators(gated).GetRunResult();

        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith(".Gate.g.cs", StringComparison.Ordinal) && t.ToString().Contains("Caller.cs(", StringComparison.Ordinal));
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation()
    {
        var (driver, _) = RunOnce();

        var result = driver.GetRunResult().Results.Single();
        foreach (var output in TrackedSteps.SelectMany(name => result.TrackedSteps[name]).SelectMany(step => step.Outputs))
        {
            AssertPlainData(output.Value, depth: 0);
        }
    }

    private static (GeneratorDriver Driver, Compilation Compilation) RunOnce()
    {
        var compilation = GeneratorHarness.Compile(Files);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static GeneratorRunResult RunAfterAddingACallToFirst()
    {
        var (driver, compilation) = RunOnce();
        var edited = Replace(compilation, "First.cs", "namespace App; public static class First { public static int Go(Agent agent) => agent.Run(1) + agent.Run(3); }");
        return driver.RunGenerators(edited).GetRunResult().Results.Single();
    }

    private static void AssertCachedOrUnchanged(IEnumerable<IncrementalGeneratorRunStep> steps)
        => Assert.All(steps.SelectMany(step => step.Outputs), output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));

    private static Compilation Replace(Compilation compilation, string path, string source)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path));
    }

    /// <summary>Walks an output's object graph: a symbol, node or compilation in it would keep old compilations alive.</summary>
    private static void AssertPlainData(object? value, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 8)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree, $"{value.GetType()} found in a pipeline output");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertPlainData(item, depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertPlainData(property.GetValue(value), depth + 1);
        }
    }
}
