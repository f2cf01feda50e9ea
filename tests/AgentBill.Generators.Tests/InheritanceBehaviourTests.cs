namespace AgentBill.Generators.Tests;

/// <summary>
/// The rules for virtual, override, interface and base. calls (docs/gate.md), run: each call reaches its body
/// once, inside exactly one hold, and a refused call never reaches it.
/// </summary>
public sealed class InheritanceBehaviourTests
{
    private const string Source = """
        using System.Threading.Tasks;
        using AgentBill;

        namespace App;

        public interface IAgent
        {
            IAgentBill Bill { get; }

            [Gate("interface", EstimatedUnits = 3)]
            int Run([CustomerId] string customer);
        }

        public sealed class ImplAgent(IAgentBill bill) : IAgent
        {
            public static int Runs;

            public IAgentBill Bill { get; } = bill;

            public int Run(string customer) => ++Runs;
        }

        public class Base(IAgentBill bill)
        {
            public IAgentBill Bill { get; } = bill;

            [Gate("virtual", EstimatedUnits = 4)]
            public virtual int Work([CustomerId] string customer) => 10;
        }

        public class Derived(IAgentBill bill) : Base(bill)
        {
            public override int Work(string customer) => base.Work(customer) + 1;
        }

        public sealed class MoreDerived(IAgentBill bill) : Derived(bill)
        {
            public override int Work(string customer) => base.Work(customer) + 100;
        }

        public sealed class Replacing(IAgentBill bill) : Base(bill)
        {
            public override int Work(string customer) => 20;
        }

        public abstract class Template(IAgentBill bill)
        {
            public IAgentBill Bill { get; } = bill;

            [Gate("abstract", EstimatedUnits = 2)]
            public abstract Task<int> StepAsync([CustomerId] string customer);
        }

        public sealed class Step(IAgentBill bill) : Template(bill)
        {
            public override async Task<int> StepAsync(string customer)
            {
                await Task.Yield();
                GateUsage.Report(1);
                return 7;
            }
        }

        public class Echoer<T>(IAgentBill bill)
        {
            public IAgentBill Bill { get; } = bill;

            [Gate("generic", EstimatedUnits = 5)]
            public virtual T Echo([CustomerId] string customer, T value) => value;
        }

        public sealed class Shouter(IAgentBill bill) : Echoer<string>(bill)
        {
            public override string Echo(string customer, string value) => value + "!";
        }

        public class Animal;

        public sealed class Dog : Animal;

        public class Shelter(IAgentBill bill)
        {
            public IAgentBill Bill { get; } = bill;

            [Gate("covariant", EstimatedUnits = 6)]
            public virtual Animal Adopt([CustomerId] string customer) => new Animal();
        }

        public sealed class DogShelter(IAgentBill bill) : Shelter(bill)
        {
            public override Dog Adopt(string customer) => new Dog();
        }

        public class Job(IAgentBill bill)
        {
            public IAgentBill Bill { get; } = bill;

            public int Execute(string customer) => RunCore(customer);

            [Gate("protected", EstimatedUnits = 8)]
            protected virtual int RunCore([CustomerId] string customer) => 1;
        }

        public sealed class CustomJob(IAgentBill bill) : Job(bill)
        {
            protected override int RunCore(string customer) => base.RunCore(customer) + 100;
        }

        public static class Scenario
        {
            public static int ThroughInterface(IAgentBill bill, string customer)
            {
                IAgent agent = new ImplAgent(bill);
                return agent.Run(customer);
            }

            public static int ThroughConcreteType(IAgentBill bill, string customer) => new ImplAgent(bill).Run(customer);

            public static int NullConditional(IAgentBill bill, string customer)
            {
                IAgent? agent = new ImplAgent(bill);
                return agent?.Run(customer) ?? -1;
            }

            public static int BaseCallInOverride(IAgentBill bill, string customer)
            {
                Base worker = new Derived(bill);
                return worker.Work(customer);
            }

            public static int ChainOfBaseCalls(IAgentBill bill, string customer) => new MoreDerived(bill).Work(customer);

            public static int OverrideThatReplacesTheBody(IAgentBill bill, string customer)
            {
                Base worker = new Replacing(bill);
                return worker.Work(customer);
            }

            public static Task<int> Abstract(IAgentBill bill, string customer)
            {
                Template template = new Step(bill);
                return template.StepAsync(customer);
            }

            public static string GenericOverride(IAgentBill bill, string customer) => new Shouter(bill).Echo(customer, "hi");

            public static string GenericThroughBase(IAgentBill bill, string customer)
            {
                Echoer<string> echoer = new Shouter(bill);
                return echoer.Echo(customer, "hi");
            }

            public static string CovariantOverride(IAgentBill bill, string customer) => new DogShelter(bill).Adopt(customer).GetType().Name;

            public static int ProtectedTemplateMethod(IAgentBill bill, string customer) => new CustomJob(bill).Execute(customer);

            public static int InterfaceRuns() => ImplAgent.Runs;
        }
        """;

    private static readonly Lazy<GatedProgram> Program = new(() => GatedProgram.Build(("Agents.cs", Source)));

    private readonly AgentBillClient _bill = GatedProgram.NewClient();

    public static TheoryData<string, object, long> Calls => new()
    {
        { "ThroughInterface", -1, 3 },
        { "ThroughConcreteType", -1, 3 },
        { "NullConditional", -1, 3 },
        { "BaseCallInOverride", 11, 4 },
        { "ChainOfBaseCalls", 111, 4 },
        { "OverrideThatReplacesTheBody", 20, 4 },
        { "GenericOverride", "hi!", 5 },
        { "GenericThroughBase", "hi!", 5 },
        { "CovariantOverride", "Dog", 6 },
        { "ProtectedTemplateMethod", 101, 8 },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Each_call_runs_its_body_once_inside_one_hold_of_the_gated_members_estimate(string scenario, object expected, long estimate)
    {
        await GatedProgram.SetBudget(_bill, "acme", 100);

        var result = Program.Value.Invoke<object>("App.Scenario", scenario, _bill, "acme");

        // -1: the interface body counts its runs, shared by the tests, so only its type is checked here.
        if (expected is not -1)
        {
            Assert.Equal(expected, result);
        }

        Assert.Equal((estimate, 0L), await GatedProgram.Usage(_bill, "acme"));
    }

    [Fact]
    public async Task An_abstract_gated_member_records_what_the_override_reported()
    {
        await GatedProgram.SetBudget(_bill, "acme", 100);

        var result = await Program.Value.Invoke<Task<int>>("App.Scenario", "Abstract", _bill, "acme");

        Assert.Equal(7, result);
        Assert.Equal((1L, 0L), await GatedProgram.Usage(_bill, "acme"));
    }

    [Fact]
    public async Task A_call_through_the_interface_is_refused_by_the_budget_before_the_implementation_runs()
    {
        await GatedProgram.SetBudget(_bill, "broke", 2);
        var before = Program.Value.Invoke<int>("App.Scenario", "InterfaceRuns");

        Assert.Throws<BudgetExhaustedException>(() => Program.Value.Invoke<int>("App.Scenario", "ThroughInterface", _bill, "broke"));

        Assert.Equal(before, Program.Value.Invoke<int>("App.Scenario", "InterfaceRuns"));
        Assert.Equal((0L, 0L), await GatedProgram.Usage(_bill, "broke"));
    }

    [Fact]
    public async Task A_call_through_a_base_typed_reference_is_refused_by_the_budget()
    {
        await GatedProgram.SetBudget(_bill, "broke", 3);

        Assert.Throws<BudgetExhaustedException>(() => Program.Value.Invoke<int>("App.Scenario", "OverrideThatReplacesTheBody", _bill, "broke"));

        Assert.Equal((0L, 0L), await GatedProgram.Usage(_bill, "broke"));
    }
}
