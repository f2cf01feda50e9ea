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

        AssertOnly(run, "AGB1001", reason);
        Assert.Empty(run.Result.GeneratedTrees);
    }

    [Theory]
    [InlineData("public interface IAgent { int Run(); } public sealed class Impl : IAgent { [Gate(\"a\")] public int Run() => 1; }", "'Impl.Run' would be skipped by calls through 'IAgent.Run', which it implements")]
    [InlineData("public interface IAgent { int Run(); } public sealed class Impl : IAgent { [Gate(\"a\")] int IAgent.Run() => 1; }", "which it implements")]
    [InlineData("public class Base { public virtual int Run() => 1; } public sealed class Derived : Base { [Gate(\"a\")] public override int Run() => 2; }", "'Derived.Run' would be skipped by calls through 'Base.Run', which it overrides")]
    [InlineData("public class Base { [Gate(\"a\")] public virtual int Run() => 1; } public sealed class Derived : Base { [Gate(\"b\")] public override int Run() => 2; }", "which it overrides")]
    public void A_gate_on_an_override_or_implementation_is_an_error_that_names_the_member_to_gate(string source, string message)
    {
        var run = GeneratorHarness.Run(("Agent.cs", "using AgentBill; namespace App; " + source));

        AssertOnly(run, "AGB1007", message);
    }

    [Fact]
    public void Two_customer_id_parameters_are_an_error()
    {
        var run = GeneratorHarness.Run(("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run([CustomerId] string a, [CustomerId] string b) => 1;")));

        AssertOnly(run, "AGB1008", "('a', 'b')");
    }

    [Theory]
    [InlineData("public static class Caller { public static int Go() { var f = [Gate(\"a\")] () => 1; return f(); } }", "'Caller.Go (lambda)' is gated but cannot be intercepted: a lambda or local function")]
    [InlineData("public static class Caller { public static int Go() { return Local(); [Gate(\"a\")] static int Local() => 1; } }", "'Caller.Go.Local' is gated but cannot be intercepted: a lambda or local function")]
    public void A_gate_on_a_lambda_or_local_function_is_an_error_that_names_it(string source, string message)
    {
        var run = GeneratorHarness.Run(("Caller.cs", "using AgentBill; namespace App; " + source));

        AssertOnly(run, "AGB1001", message);
    }

    [Theory]
    [InlineData("public class Base { [Gate(\"a\")] public virtual int Run() => 1; } public sealed class Derived : Base { public override int Run() => 2; public int Other() => base.Run(); }", "a base. call")]
    [InlineData("public interface IAgent { [Gate(\"a\")] int Run(); } public struct Impl : IAgent { public int Run() => 1; public static int Go() => new Impl().Run(); }", "it binds to 'Impl.Run'")]
    [InlineData("public interface IAgent { [Gate(\"a\")] int Run(); } public class Outer { private sealed class Impl : IAgent { public int Run() => 1; } public static int Go() => new Impl().Run(); }", "or call it through 'IAgent'")]
    public void A_call_that_could_skip_the_gate_is_an_error_at_the_call(string source, string message)
    {
        var run = GeneratorHarness.Run(("Agent.cs", "using AgentBill; namespace App; " + source));

        AssertOnly(run, "AGB1001", message);
        Assert.DoesNotContain(run.Result.GeneratedTrees, t => t.FilePath.EndsWith(".Gate.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_null_conditional_call_is_gated_and_raises_no_delegate_warning()
    {
        var run = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent("[Gate(\"a\")] public Task<int> RunAsync(int x) => Task.FromResult(x);")),
            ("Program.cs", Sources.Program("Agent? maybe = agent; _ = await (maybe?.RunAsync(1) ?? Task.FromResult(0));")));

        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.Result.GeneratedTrees, t => t.FilePath.EndsWith(".Gate.g.cs", StringComparison.Ordinal) && t.ToString().Contains("Program.cs(", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_gate_raises_nothing_and_each_descriptor_has_a_help_page()
    {
        var run = GeneratorHarness.Run(("Agent.cs", Sources.Agent("[Gate(\"a\", EstimatedUnits = 20, Ceiling = 20)] public int Run([CustomerId] string c) => 1;")));

        Assert.Empty(run.Diagnostics);
        var docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        foreach (var id in new[] { "AGB1001", "AGB1002", "AGB1003", "AGB1004", "AGB1005", "AGB1006", "AGB1007", "AGB1008" })
        {
            Assert.True(File.Exists(Path.Combine(docs, id + ".md")), $"{id} has no page under docs/diagnostics");
        }
    }

    /// <summary>The run reported exactly one diagnostic, with this id and a message that says this.</summary>
    private static void AssertOnly(GeneratorRun run, string id, string message)
    {
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private const Microsoft.CodeAnalysis.DiagnosticSeverity DiagnosticSeverityWarning = Microsoft.CodeAnalysis.DiagnosticSeverity.Warning;

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
