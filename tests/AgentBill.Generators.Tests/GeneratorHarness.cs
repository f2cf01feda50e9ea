using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AgentBill.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Generators.Tests;

/// <summary>
/// Compiles test sources with the [Gate] generator. References come from the running runtime and the assemblies
/// this test process has loaded: nothing is downloaded at test time.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "AgentBill.Generated")]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation Compile(params (string Path, string Source)[] files)
        => CSharpCompilation.Create(
            "GatedApp" + Guid.NewGuid().ToString("N"),
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new GateGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the compilation with its output and every diagnostic (generator and compiler).</summary>
    public static GeneratorRun Run(params (string Path, string Source)[] files)
    {
        var compilation = Compile(files);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        // The test's own sources may warn (an async Main without await); what counts is every error, and any warning
        // in generated code.
        var generated = driver.GetRunResult().GeneratedTrees.ToHashSet();
        var diagnostics = generatorDiagnostics.AddRange(output.GetDiagnostics().Where(d =>
            d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))));
        return new GeneratorRun(output, driver.GetRunResult(), diagnostics);
    }

    /// <summary>Emits the compilation and loads it in a collectible context that shares AgentBill with the tests.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("gated-" + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Append(typeof(AgentBillClient).Assembly.Location)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}

internal sealed record GeneratorRun(Compilation Output, GeneratorDriverRunResult Result, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Every generated file but the attribute's, by name, each after a comment that names it.</summary>
    public string GeneratedSources()
        => string.Join("\n", Result.GeneratedTrees
            .Select(t => Path.GetFileName(t.FilePath))
            .Where(name => name != "InterceptsLocationAttribute.g.cs")
            .Order(StringComparer.Ordinal)
            .Select(name => "// File: " + name + "\n" + Result.GeneratedTrees.Single(t => Path.GetFileName(t.FilePath) == name)));
}
