using System.Reflection;
using AgentBill.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Generators.Tests;

/// <summary>
/// Test sources compiled with the generator (no diagnostic allowed), loaded, and run against an in-memory ledger:
/// what a gated call did is read back from the ledger, never from the generated text.
/// </summary>
internal sealed class GatedProgram
{
    private readonly Assembly _assembly;

    private GatedProgram(Assembly assembly) => _assembly = assembly;

    /// <summary>The client the tests pass to the code under test; each test gets its own ledger.</summary>
    public static AgentBillClient NewClient() => new(new InMemoryBudgetLedger(), new AgentBillOptions(), new FakeTimeProvider());

    public static GatedProgram Build(params (string Path, string Source)[] files)
    {
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Diagnostics);
        return new GatedProgram(GeneratorHarness.Load(run.Output));
    }

    /// <summary>Calls a public static method, rethrowing what it threw as it was.</summary>
    public T Invoke<T>(string type, string method, params object?[] arguments)
    {
        try
        {
            return (T)_assembly.GetType(type, throwOnError: true)!.GetMethod(method)!.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    public static ValueTask SetBudget(AgentBillClient bill, string customer, long limit)
        => bill.SetBudgetAsync(new Budget(BudgetScope.Customer(customer), UsageMeter.Units, limit, BudgetPeriod.Lifetime));

    public static async Task<(long Used, long Reserved)> Usage(AgentBillClient bill, string customer)
    {
        var usage = await bill.GetUsageAsync(BudgetScope.Customer(customer));
        return (usage.Used, usage.Reserved);
    }
}
