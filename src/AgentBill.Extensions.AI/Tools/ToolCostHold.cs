using System.Reflection;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The one tool-cost hold every integration uses (the Agent Framework's tool middleware, Semantic Kernel's function
/// filter), and the one way a tool's cost is found: an options map of <c>ToolCosts</c> by <c>plugin.tool</c> or by
/// tool name, else a <see cref="ToolCostAttribute"/> on the tool's method. A tool's cost is held before it runs,
/// charged when it returns (even when its caller has gone), and released when it throws or is cancelled; one the
/// budget cannot hold is not run.
/// </summary>
public static class ToolCostHold
{
    /// <summary>The cost of one call of a tool, or <see langword="null"/> when it has none.</summary>
    /// <param name="costs">The options' costs by <c>plugin.tool</c> or by tool name.</param>
    /// <param name="pluginName">The tool's plugin, or <see langword="null"/>; a cost named <c>plugin.tool</c> wins over one named <c>tool</c>.</param>
    /// <param name="toolName">The tool's name.</param>
    /// <param name="method">The method the tool was made from, or <see langword="null"/>; its <see cref="ToolCostAttribute"/> applies when no name matches.</param>
    /// <returns>The cost, in the integration's tool-cost meter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="costs"/> or <paramref name="toolName"/> is <see langword="null"/>.</exception>
    public static long? CostOf(IDictionary<string, long> costs, string? pluginName, string toolName, MethodInfo? method)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(toolName);
        if (pluginName is not null && costs.TryGetValue($"{pluginName}.{toolName}", out var qualified))
        {
            return qualified;
        }

        return costs.TryGetValue(toolName, out var named) ? named : method?.GetCustomAttribute<ToolCostAttribute>()?.Cost;
    }

    /// <summary>Throws when a cost in an options map is negative.</summary>
    /// <param name="costs">The costs.</param>
    /// <param name="paramName">The options property that holds them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cost is negative; the parameter is named <c>paramName[key]</c>.</exception>
    public static void Validate(IDictionary<string, long> costs, string paramName)
    {
        ArgumentNullException.ThrowIfNull(costs);
        foreach (var (name, cost) in costs)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(cost, $"{paramName}[{name}]");
        }
    }

    /// <summary>
    /// Holds a tool's cost, runs the tool, and charges the cost when it returns. A hold the budget refuses runs
    /// nothing and is handed back as <see cref="ToolCostRun{TResult}.Refused"/>, for the integration to end its tool
    /// loop with (<see cref="AgentBillRefusals.ToolText"/>) or to throw. A charge that cannot be recorded after the
    /// client's retries leaves the tool's result as it is and is counted on the current context's
    /// <see cref="AgentBillUsage.RecordFailures"/>.
    /// </summary>
    /// <typeparam name="TState">The tool call's arguments.</typeparam>
    /// <typeparam name="TResult">What the tool returns.</typeparam>
    /// <param name="bill">The budget gate.</param>
    /// <param name="request">The hold: the cost as <see cref="PreflightRequest.EstimatedUnits"/>, on the tool-cost meter.</param>
    /// <param name="state">The tool call's arguments, so the delegate captures nothing.</param>
    /// <param name="tool">Runs the tool; a static lambda.</param>
    /// <param name="cancellationToken">Cancels the hold and the tool.</param>
    /// <returns>The tool's result, or the refusal.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async ValueTask<ToolCostRun<TResult>> RunAsync<TState, TResult>(
        IAgentBill bill, PreflightRequest request, TState state, Func<TState, CancellationToken, ValueTask<TResult>> tool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tool);
        Reservation hold;
        try
        {
            hold = await bill.ReserveAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal)
        {
            return new ToolCostRun<TResult>(default, refusal);
        }

        await using (hold.ConfigureAwait(false))
        {
            var result = await tool(state, cancellationToken).ConfigureAwait(false);
            try
            {
                // The tool ran: it is charged even when the caller has gone.
                await hold.CommitAsync(request.EstimatedUnits, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException)
            {
                // The tool's result stands (it ran); the charge that could not be recorded after the client's retries
                // is counted where the call was made, never handed to the model as the tool's error.
                AgentBillContext.ReportRecordFailure(AgentBillContext.Current);
            }

            return new ToolCostRun<TResult>(result, null);
        }
    }
}
