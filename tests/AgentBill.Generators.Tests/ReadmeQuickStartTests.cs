using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AgentBill.Generators.Tests;

/// <summary>The README's quick start is a whole Program.cs: pasted into a new console app it builds, gates and runs.</summary>
public sealed partial class ReadmeQuickStartTests
{
    [Fact]
    public async Task The_quick_start_compiles_as_a_console_program_and_gates_its_calls()
    {
        var source = GeneratorHarness.Compile(("Program.cs", QuickStart()), ("ImplicitUsings.g.cs", ImplicitUsings));
        source = source.WithOptions(source.Options.WithOutputKind(OutputKind.ConsoleApplication));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(source, out var program, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(program.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        var output = await RunAsync(program);

        Assert.Equal(
            [
                "notes on preflight billing",
                "alice: 12 of 100 units used in m:" + DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                "refused before it ran: CeilingExceeded, waiting helps: Permanent",
            ],
            output);
    }

    /// <summary>What <c>dotnet new console</c> turns on (<c>ImplicitUsings</c>): the namespaces a pasted Program.cs may use unqualified.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static string QuickStart()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        return CSharpBlock().Match(section).Groups["code"].Value;
    }

    private static async Task<string[]> RunAsync(Compilation program)
    {
        var assembly = GeneratorHarness.Load(program);
        var console = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var result = assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
            if (result is Task task)
            {
                await task;
            }
        }
        finally
        {
            Console.SetOut(console);
        }

        return captured.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentBill.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentBill.sln) is not above the test's folder.");
    }

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
