using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AgentBill.Generators.Tests;

/// <summary>
/// Every shape a gated method can have (accessibility × containing type kind × static × generic × virtual or
/// interface dispatch), compiled with the generator: each either builds and gates (its probe runs, and the ledger
/// records one estimate per call) or is an AGB diagnostic in its own file, and no shape leaves an error in
/// generated code.
/// </summary>
public sealed class ShapeMatrixTests
{
    private const long Estimate = 3;

    private static readonly Lazy<Outcome> Matrix = new(Run);

    [Fact]
    public void No_shape_leaves_an_error_or_warning_in_generated_code()
        => Assert.DoesNotContain(Matrix.Value.Diagnostics, d => d.Location.SourceTree?.FilePath.Contains(".g.cs", StringComparison.Ordinal) == true);

    [Fact]
    public void Every_error_is_an_AGB_diagnostic_in_the_file_of_a_rejected_shape()
        => Assert.All(Matrix.Value.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.StartsWith("AGB", d.Id, StringComparison.Ordinal));

    [Fact]
    public async Task Every_accepted_shape_builds_and_gates_each_of_its_calls()
    {
        var program = GeneratorHarness.Load(Matrix.Value.AcceptedBuild.Output);
        var failures = new List<string>();
        foreach (var shape in Matrix.Value.Accepted)
        {
            await using var bill = GatedProgram.NewClient();
            await GatedProgram.SetBudget(bill, "acme", 100);
            var type = program.GetType(shape.ProbeType, throwOnError: true)!;
            if (shape.Generic == Generic.Type)
            {
                type = type.MakeGenericType(typeof(int));
            }

            var probe = type.GetMethod("Probe", BindingFlags.Public | BindingFlags.Static)!;
            var result = probe.Invoke(null, shape.Generic == Generic.Type ? [bill, 42] : [bill]);
            var usage = await GatedProgram.Usage(bill, "acme");
            if (!Equals(result, 42) || usage != (Estimate * shape.Calls, 0L))
            {
                failures.Add($"{shape}: returned {result}, ledger {usage}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void The_shapes_a_user_writes_most_are_accepted()
    {
        var accepted = Matrix.Value.Accepted.Select(s => s.ToString()).ToHashSet();

        foreach (var access in new[] { "public", "internal", "private", "protected" })
        {
            Assert.Contains(new Shape(access, Kind.Class, false, Generic.None, Dispatch.None).ToString(), accepted);
        }

        Assert.Contains(new Shape("private", Kind.StaticClass, true, Generic.None, Dispatch.None).ToString(), Matrix.Value.Rejected.Select(s => s.ToString()));
        Assert.Contains(new Shape("public", Kind.Class, false, Generic.Type, Dispatch.Virtual).ToString(), accepted);
        Assert.Contains(new Shape("public", Kind.Sealed, false, Generic.Method, Dispatch.Interface).ToString(), accepted);
        Assert.Contains(new Shape("protected", Kind.Record, false, Generic.None, Dispatch.Virtual).ToString(), accepted);
        Assert.True(Matrix.Value.Accepted.Count > Matrix.Value.Rejected.Count, $"{Matrix.Value.Accepted.Count} accepted, {Matrix.Value.Rejected.Count} rejected");
    }

    [Fact]
    public void The_rules_the_code_fix_asks_accept_exactly_the_gates_the_generator_accepts()
    {
        var compilation = Matrix.Value.Everything;
        var accepted = Matrix.Value.Accepted.ToHashSet();
        // Interface shapes are decided at their calls as well; every other shape is decided at its gate.
        foreach (var shape in Shape.All().Where(s => s.Dispatch != Dispatch.Interface))
        {
            var type = compilation.GetTypeByMetadataName(shape.ProbeType)!;
            var gated = type.GetMembers("Run").OfType<IMethodSymbol>().Single(m => Parsing.GateRules.FindGate(m) is not null);

            Assert.True(accepted.Contains(shape) == Parsing.GateRules.Accepts(gated, compilation.Assembly), shape.ToString());
        }
    }

    private static Outcome Run()
    {
        var shapes = Shape.All().ToList();
        var files = shapes.Select((shape, i) => (shape.File(i), shape.Source(i))).ToList();
        var everything = GeneratorHarness.Run([.. files]);
        var rejectedFiles = everything.Diagnostics.Where(d => d.Id.StartsWith("AGB", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Location.GetLineSpan().Path).ToHashSet();
        var accepted = shapes.Where((s, i) => !rejectedFiles.Contains(s.File(i))).ToList();
        var rejected = shapes.Where((s, i) => rejectedFiles.Contains(s.File(i))).ToList();

        // The accepted shapes alone must build with nothing to say.
        var build = GeneratorHarness.Run([.. files.Where(f => !rejectedFiles.Contains(f.Item1))]);
        Assert.Empty(build.Diagnostics);
        return new Outcome(everything.Output, everything.Diagnostics, build, accepted, rejected);
    }

    private sealed record Outcome(Compilation Everything, IReadOnlyList<Diagnostic> Diagnostics, GeneratorRun AcceptedBuild, IReadOnlyList<Shape> Accepted, IReadOnlyList<Shape> Rejected);
}

internal enum Kind { Class, Sealed, StaticClass, Struct, Record, Nested, PrivateNested }

internal enum Generic { None, Method, Type }

internal enum Dispatch { None, Virtual, Interface }

/// <summary>One shape of the matrix, and the C# file that declares it with a probe that calls it.</summary>
internal sealed record Shape(string Access, Kind Kind, bool Static, Generic Generic, Dispatch Dispatch)
{
    private static readonly string[] Accesses = ["public", "internal", "protected", "private", "private protected", "protected internal"];

    /// <summary>How many gated calls the probe makes.</summary>
    public int Calls => Dispatch == Dispatch.Interface && Access == "public" ? 2 : 1;

    public string ProbeType => Namespace + "." + (Kind is Kind.Nested or Kind.PrivateNested ? "Outer+" : string.Empty) + "Agent" + (Generic == Generic.Type ? "`1" : string.Empty);

    private string Namespace => "Case" + string.Concat(ToString().Where(char.IsLetterOrDigit));

    private string T => Generic == Generic.None ? "int" : "T";

    private string TypeArgs => Generic == Generic.Type ? "<T>" : string.Empty;

    private string MethodArgs => Generic == Generic.Method ? "<T>" : string.Empty;

    private string Value => Generic == Generic.Type ? "value" : "42";

    /// <summary>The shapes C# allows.</summary>
    public static IEnumerable<Shape> All()
        => from access in Accesses
           from kind in Enum.GetValues<Kind>()
           from isStatic in new[] { false, true }
           from generic in Enum.GetValues<Generic>()
           from dispatch in Enum.GetValues<Dispatch>()
           let shape = new Shape(access, kind, isStatic, generic, dispatch)
           where shape.IsValid()
           select shape;

    public string File(int index) => "Case" + index + ".cs";

    public override string ToString() => $"{Access} {Kind} {(Static ? "static" : "instance")} generic:{Generic} dispatch:{Dispatch}";

    public string Source(int index)
    {
        var declarations = Dispatch == Dispatch.Interface ? InterfaceDeclarations() : ClassDeclarations();
        var body = Kind is Kind.Nested or Kind.PrivateNested
            ? "public class Outer\n{\n" + declarations.Replace("\n", "\n    ") + "\n}"
            : declarations;
        return "// " + ToString() + "\nusing AgentBill;\n\nnamespace " + Namespace + ";\n\n" + body + "\n";
    }

    private bool IsValid()
    {
        var protectedKind = Access.Contains("protected", StringComparison.Ordinal);
        return Dispatch switch
        {
            // Static classes hold static members, never protected ones; structs hold no protected members.
            Dispatch.None => (Kind != Kind.StaticClass || Static) && !(protectedKind && Kind is Kind.StaticClass or Kind.Struct or Kind.Sealed),
            Dispatch.Virtual => !Static && Access != "private" && Kind is Kind.Class or Kind.Record or Kind.Nested or Kind.PrivateNested,
            // The implementation is public (implicit) or private (explicit); a static member is static abstract.
            _ => Kind != Kind.StaticClass && Access is "public" or "private" && !(Static && (Generic != Generic.None || Access == "private")),
        };
    }

    private string TypeKeyword => Kind switch
    {
        Kind.Sealed => "sealed class",
        Kind.StaticClass => "static class",
        Kind.Struct => "struct",
        Kind.Record => "record",
        _ => "class",
    };

    private string TypeAccess => Kind == Kind.PrivateNested ? "private" : "public";

    private string ClientProperty => Static ? "public static IAgentBill Bill { get; set; } = null!;"
        : Kind == Kind.Struct ? "public IAgentBill Bill { get; set; }"
        : "public IAgentBill Bill { get; set; } = null!;";

    private string ProbeParameters => "IAgentBill bill" + (Generic == Generic.Type ? ", T value" : string.Empty);

    private string ClassDeclarations()
    {
        var modifiers = Access + (Static ? " static" : string.Empty) + (Dispatch == Dispatch.Virtual ? " virtual" : string.Empty);
        var agent = "Agent" + TypeArgs;
        var call = Static
            ? "Bill = bill;\n        return " + agent + ".Run" + (Generic == Generic.Method ? "<int>" : string.Empty) + "(\"acme\", " + Value + ");"
            : (Dispatch == Dispatch.Virtual ? agent + " agent = new Derived" + TypeArgs + "()" : "var agent = new " + agent + "()") + " { Bill = bill };\n        return agent.Run(\"acme\", " + Value + ");";
        var text = TypeAccess + " " + TypeKeyword + " " + agent + "\n{\n"
            + "    " + ClientProperty + "\n\n"
            + "    [Gate(\"matrix\", EstimatedUnits = 3)]\n"
            + "    " + modifiers + " " + T + " Run" + MethodArgs + "([CustomerId] string customer, " + T + " value) => value;\n\n"
            + "    public static object? Probe(" + ProbeParameters + ")\n    {\n        " + call + "\n    }\n}";
        if (Dispatch == Dispatch.Virtual)
        {
            text += "\n\n" + TypeAccess + " " + TypeKeyword + " Derived" + TypeArgs + " : " + agent + "\n{\n"
                + "    " + Access + " override " + T + " Run" + MethodArgs + "(string customer, " + T + " value) => value;\n}";
        }

        return text;
    }

    private string InterfaceDeclarations()
    {
        if (Static)
        {
            return "public interface IAgent\n{\n    [Gate(\"matrix\", EstimatedUnits = 3)]\n    static abstract int Run([CustomerId] string customer, int value);\n}\n\n"
                + TypeAccess + " " + TypeKeyword + " Agent : IAgent\n{\n    public static int Run(string customer, int value) => value;\n\n"
                + "    public static object? Probe(IAgentBill bill) => Call<Agent>();\n\n"
                + "    private static int Call<TAgent>() where TAgent : IAgent => TAgent.Run(\"acme\", 42);\n}";
        }

        var contract = "IAgent" + TypeArgs;
        var agent = "Agent" + TypeArgs;
        var implementation = Access == "public"
            ? "public " + T + " Run" + MethodArgs + "(string customer, " + T + " value) => value;"
            : T + " " + contract + ".Run" + MethodArgs + "(string customer, " + T + " value) => value;";
        var direct = Access == "public" ? "        _ = new " + agent + " { Bill = bill }.Run(\"acme\", " + Value + ");\n" : string.Empty;
        return "public interface " + contract + "\n{\n    IAgentBill Bill { get; }\n\n    [Gate(\"matrix\", EstimatedUnits = 3)]\n    "
            + T + " Run" + MethodArgs + "([CustomerId] string customer, " + T + " value);\n}\n\n"
            + TypeAccess + " " + TypeKeyword + " " + agent + " : " + contract + "\n{\n    " + ClientProperty + "\n\n    " + implementation + "\n\n"
            + "    public static object? Probe(" + ProbeParameters + ")\n    {\n" + direct
            + "        " + contract + " agent = new " + agent + " { Bill = bill };\n        return agent.Run(\"acme\", " + Value + ");\n    }\n}";
    }
}
