using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests;

/// <summary>
/// Agents over a local model. Every round-trip is estimated at 100 prompt + 50 output tokens (150 held) and reports
/// exactly that, on the <see cref="UsageMeter.Tokens"/> meter, so every number in a test is a multiple of 150.
/// </summary>
internal static class Agents
{
    public const long RoundTrip = 150;

    /// <summary>The tool the model calls; counts its calls.</summary>
    public static AIFunction Search(Counter? calls = null)
        => AIFunctionFactory.Create(() => { calls?.Increment(); return "found it"; }, "search", "Searches the web.");

    /// <summary>A gate configuration that holds exactly <see cref="RoundTrip"/> tokens per round-trip.</summary>
    public static void Exact(AgentBillChatClientOptions gate)
    {
        gate.Meter = UsageMeter.Tokens;
        gate.Estimator = new FixedEstimator(ToolCallingModel.InputTokens);
        gate.DefaultMaxOutputTokens = (int)ToolCallingModel.OutputTokens;
    }

    /// <summary>An agent whose chat client has no gate: UseAgentBill() on the agent inserts one.</summary>
    public static AIAgent Ungated(IChatClient model, IAgentBill bill, Action<AgentBillAgentOptions>? configure = null, params AITool[] tools)
        => model.AsAIAgent(name: "researcher", tools: tools.Length == 0 ? [Search()] : tools)
            .AsBuilder()
            .UseAgentBill(bill, options =>
            {
                Exact(options.Gate);
                configure?.Invoke(options);
            })
            .Build();

    /// <summary>An agent whose chat client the user gated (inside the agent's tool loop), with UseAgentBill() on the agent too.</summary>
    public static AIAgent GatedTwice(IChatClient model, IAgentBill bill, Action<AgentBillAgentOptions>? configure = null)
        => model.AsBuilder()
            .UseAgentBill(bill, Exact)
            .Build()
            .AsAIAgent(name: "researcher", tools: [Search()])
            .AsBuilder()
            .UseAgentBill(bill, configure)
            .Build();
}

/// <summary>A thread-safe call counter.</summary>
internal sealed class Counter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
