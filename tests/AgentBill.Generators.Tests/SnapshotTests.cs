namespace AgentBill.Generators.Tests;

/// <summary>
/// The generated code of every supported shape, compared with committed snapshots: the gated method's one gating
/// body, then its interceptors (one per call shape, with the locations of every call) that forward to it.
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string, string, string> Shapes => new()
    {
        { "SyncVoid", "[Gate(\"a\")] public void Run(int steps) { }", "agent.Run(3);" },
        { "SyncValue", "[Gate(\"a\", EstimatedUnits = 5, Ceiling = 9)] public int Count(string text) => text.Length;", "_ = agent.Count(\"abc\");" },
        { "Task", "[Gate(\"a\")] public Task RunAsync() => Task.CompletedTask;", "await agent.RunAsync();" },
        { "TaskOfT", "[Gate(\"a\", CustomerId = \"acme\", TaskRef = \"job-1\", Meter = UsageMeter.Tokens)] public Task<string> AskAsync(string q, CancellationToken ct) => Task.FromResult(q);", "_ = await agent.AskAsync(\"q\", default);" },
        { "ValueTask", "[Gate(\"a\")] public ValueTask RunAsync() => default;", "await agent.RunAsync();" },
        { "ValueTaskOfT", "[Gate(\"a\")] public ValueTask<int> CountAsync([CustomerId] string customer) => new(1);", "_ = await agent.CountAsync(\"c\");" },
        { "AsyncEnumerable", "[Gate(\"a\")] public async IAsyncEnumerable<int> StreamAsync(int n, CancellationToken ct) { for (var i = 0; i < n; i++) { await Task.Yield(); yield return i; } }", "await foreach (var i in agent.StreamAsync(2, default)) { }" },
        { "Static", "[Gate(\"a\")] public static int Twice(int x) => 2 * x;", "_ = Agent.Twice(2);" },
        { "GenericMethod", "[Gate(\"a\")] public T Echo<T>(T value) where T : class => value;", "_ = agent.Echo(\"x\");" },
        { "RefOutIn", "[Gate(\"a\")] public bool TryRun(ref int a, out int b, in int c, params int[] rest) { b = a + c; return true; }", "var a = 1; _ = agent.TryRun(ref a, out var b, in a, 1, 2);" },
        { "Private", "[Gate(\"a\")] private int Secret(int x) => x; public int CallSecret() => Secret(1);", "_ = agent.CallSecret();" },
        { "ClientField", "public IAgentBill Bill { get; set; } = null!; [Gate(\"a\")] public int Run() => 1;", "_ = agent.Run();" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_shape_has_a_readable_interceptor(string shape, string member, string call)
    {
        var run = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent(member)),
            ("Program.cs", Sources.Program(call)));

        Assert.Empty(run.Diagnostics);
        // A private method is called from inside its own type: its interceptor lives with Agent.cs, its body reads it through an UnsafeAccessor.
        Snapshot.Verify(run.GeneratedSources(), shape);
    }

    [Fact]
    public void An_extension_method_is_intercepted_as_an_extension()
    {
        var run = GeneratorHarness.Run(
            ("Extensions.cs", "using AgentBill; namespace App; public static class AgentExtensions { [Gate(\"ext\")] public static int Measure(this string text, int factor) => text.Length * factor; }"),
            ("Program.cs", "namespace App; public static class Program { public static int Main() => \"abc\".Measure(2) + AgentExtensions.Measure(\"x\", 1); }"));

        Assert.Empty(run.Diagnostics);
        Snapshot.Verify(run.GeneratedSources(), "Extension");
    }

    [Fact]
    public void A_method_of_a_generic_type_is_intercepted_with_the_type_parameters()
    {
        var run = GeneratorHarness.Run(
            ("Box.cs", "using AgentBill; namespace App; public sealed class Box<T> where T : notnull { [Gate(\"box\")] public T Get(T value) => value; }"),
            ("Program.cs", "namespace App; public static class Program { public static string Main() => new Box<string>().Get(\"x\") + new Box<int>().Get(1); }"));

        Assert.Empty(run.Diagnostics);
        Snapshot.Verify(run.GeneratedSources(), "GenericType");
    }

    [Fact]
    public void Overloads_get_one_interceptor_each_and_repeated_calls_share_one()
    {
        var run = GeneratorHarness.Run(
            ("Agent.cs", Sources.Agent("[Gate(\"a\")] public int Run(int x) => x; [Gate(\"b\")] public int Run(string s) => s.Length;")),
            ("Program.cs", Sources.Program("_ = agent.Run(1); _ = agent.Run(2); _ = agent.Run(\"x\");")));

        Assert.Empty(run.Diagnostics);
        Snapshot.Verify(run.GeneratedSources(), "Overloads");
    }
}
