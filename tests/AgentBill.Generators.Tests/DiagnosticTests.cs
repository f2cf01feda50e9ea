namespace AgentBill.Generators.Tests;

/// <summary>Each AGB1xxx diagnostic fires where it should and stays silent where it should not.</summary>
public sealed class DiagnosticTests
{
    [Theory]
    [InlineData("[Gate(\"a\")] public ref int Run() => ref _field; private int _field;", "AGB1001", "returns by reference")]
    [InlineData("[Gate(\"a\")] public async void Run() => await Task.Yield();", "AGB1001", "async void")]
    [InlineData("[Gate(\"a\")] public Task Run(ref int x) => Task.CompletedTask;", "AGB1001", "ref, out or in")]
    [InlineData("[Gate(\"a\", EstimatedUnits = 30, Ceiling = 20)] public int Run() => 1;", "AGB1002", "estimates 30 units, above its ceiling of 20")]
    [InlineData("[Gate(\"\")] public int Run() => 1;", "AGB1003", "non-empty agent id")]
    [InlineData("[Gate(\"a\")] public int Run([CustomerId] int customer) => 1;", "AGB1005", "parameter 'customer' of type 'int'")]
    [InlineData("[Gate(\"a\", EstimatedUnits = -1)] public int Run() => 1;", "AGB1006", "EstimatedUnits = -1")]
    public void A_declaration_problem_is_reported_where_the_gate_is(string member, string id, string message)
    {
        var run = GeneratorHarness.Run(("Agent.cs", Sources.Agent(member)));

        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id.StartsWith("AGB", StringComparison.Ordinal));
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("Agent.cs", diagnostic.Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("System.Func<int> f = agent.Run;")]
    [InlineData("var f = new System.Func<int>(agent.Run);")]
    [InlineData("System.Func<int> f = Agent.RunStatic;")]
    public void A_gated_method_used_as_a_delegate_is_a_warning_at_the_use(string statement)
    {
        var run = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run() => 1; [Gate(\"a\")] public static int RunStatic() => 1;")),
            ("Program.cs", Sources.Program(statement)));

        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "AGB1004");
        Assert.Equal(DiagnosticSeverityWarning, diagnostic.Severity);
        Assert.Equal("Program.cs", diagnostic.Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("_ = agent.Run();")]
    [InlineData("_ = nameof(Agent.Run);")]
    [InlineData("System.Func<int> f = agent.Ungated;")]
    public void Calls_nameof_and_ungated_delegates_raise_no_warning(string statement)
    {
        var run = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run() => 1; public int Ungated() => 1;")),
            ("Program.cs", Sources.Program(statement)));

        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("using AgentBill; namespace App; public class Outer { private sealed class Inner { [Gate(\"a\")] public int Run() => 1; } public int Go() => new Inner().Run(); }", "'App.Outer.Inner'")]
    [InlineData("using AgentBill; namespace App; file class Inner { [Gate(\"a\")] public int Run() => 1; } public static class Use { public static int Go() => new Inner().Run(); }", "'App.Inner'")]
    [InlineData("using AgentBill; namespace App; public class Agent { private sealed class Secret; [Gate(\"a\")] private int Run(Secret s) => 1; public int Go() => Run(new Secret()); }", "'App.Agent.Secret'")]
    [InlineData("using AgentBill; namespace App; public static class Agent { [Gate(\"a\")] private static int Run() => 1; public static int Go() => Run(); }", "cannot take a static class")]
    public void A_gated_method_that_generated_code_cannot_reach_is_an_error_at_the_gate_and_its_calls_get_no_interceptor(string source, string reason)
    {
        var run = GeneratorHarness.Run(("Agent.cs", source));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("AGB1001", diagnostic.Id);
        Assert.Contains(reason, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(["InterceptsLocationAttribute.g.cs"], run.Result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)));
    }

    [Fact]
    public void A_valid_gate_raises_nothing_and_each_descriptor_has_a_help_page()
    {
        var run = GeneratorHarness.Run(("Agent.cs", Sources.Agent("[Gate(\"a\", EstimatedUnits = 20, Ceiling = 20)] public int Run([CustomerId] string c) => 1;")));

        Assert.Empty(run.Diagnostics);
        var docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        foreach (var id in new[] { "AGB1001", "AGB1002", "AGB1003", "AGB1004", "AGB1005", "AGB1006" })
        {
            Assert.True(File.Exists(Path.Combine(docs, id + ".md")), $"{id} has no page under docs/diagnostics");
        }
    }

    private const Microsoft.CodeAnalysis.DiagnosticSeverity DiagnosticSeverityWarning = Microsoft.CodeAnalysis.DiagnosticSeverity.Warning;

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
