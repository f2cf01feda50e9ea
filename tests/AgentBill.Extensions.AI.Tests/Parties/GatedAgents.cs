using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Parties;

/// <summary>Agents as users write them: <c>[Gate]</c> methods (intercepted by the real generator) that call a gated chat client.</summary>
public sealed class GatedAgents(IAgentBill bill, IChatClient chat)
{
    private readonly IAgentBill _bill = bill;

    [Gate("researcher", EstimatedUnits = 3)]
    public async Task<string> ResearchAsync([CustomerId] string customerId, string topic)
    {
        var answer = await chat.GetResponseAsync(topic).ConfigureAwait(false);
        return answer.Text;
    }

    [Gate("researcher", EstimatedUnits = 3)]
    public async Task<string> ResearchOffThreadAsync([CustomerId] string customerId, string topic)
    {
        // The model call runs on another thread pool item, after a ConfigureAwait(false): it is still the customer's.
        await Task.Yield();
        return await Task.Run(async () => (await chat.GetResponseAsync(topic).ConfigureAwait(false)).Text).ConfigureAwait(false);
    }

    [Gate("reporter", EstimatedUnits = 1, TaskRef = "report-7")]
    public async Task<int> ReportAsync([CustomerId] string customerId, int sections)
    {
        for (var i = 0; i < sections; i++)
        {
            await chat.GetResponseAsync($"section {i}").ConfigureAwait(false);
        }

        return sections;
    }

    [Gate("spender", EstimatedUnits = 50_000, Meter = UsageMeter.MicroUsd)]
    public async Task<string> SpendAsync([CustomerId] string customerId, string topic)
        => (await chat.GetResponseAsync(topic).ConfigureAwait(false)).Text;

    [Gate("unnamed", EstimatedUnits = 1)]
    public async Task<string> AskForWhoeverAsync(string topic)
        => (await chat.GetResponseAsync(topic).ConfigureAwait(false)).Text;
}
