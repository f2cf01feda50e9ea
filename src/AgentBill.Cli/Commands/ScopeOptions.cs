using System.CommandLine;
using AgentBill.Cli.Hosting;

namespace AgentBill.Cli.Commands;

/// <summary>
/// The options that name one budget scope: <c>--customer</c> alone, with <c>--agent</c> or <c>--task</c>, or
/// <c>--global</c>.
/// </summary>
internal sealed class ScopeOptions
{
    private readonly Option<string> _customer = CommonOptions.Customer("The customer whose budget it is.");
    private readonly Option<string> _agent = new("--agent", "-a") { Description = "An agent of the customer: the customer × agent budget.", HelpName = "id" };
    private readonly Option<string> _task = new("--task", "-t") { Description = "A task of the customer: the task's budget across all its calls.", HelpName = "ref" };
    private readonly Option<bool> _global = new("--global") { Description = "The global budget, over every customer." };

    public void AddTo(Command command)
    {
        command.Options.Add(_customer);
        command.Options.Add(_agent);
        command.Options.Add(_task);
        command.Options.Add(_global);
    }

    /// <summary>The scope named, validated; a missing or contradictory choice is an <see cref="ArgumentException"/>.</summary>
    public BudgetScope Read(ParseResult parse)
    {
        var customer = parse.GetValue(_customer);
        var agent = parse.GetValue(_agent);
        var task = parse.GetValue(_task);
        if (parse.GetValue(_global))
        {
            return customer is null && agent is null && task is null
                ? BudgetScope.Global
                : throw new CliException(ExitCodes.BadArguments, "--global names the global scope: leave out --customer, --agent and --task.");
        }

        if (customer is null)
        {
            throw new CliException(ExitCodes.BadArguments, "Name a scope: --customer <id> (with --agent <id> or --task <ref>), or --global.");
        }

        return (agent, task) switch
        {
            (null, null) => BudgetScope.Customer(customer),
            ({ } agentId, null) => BudgetScope.Agent(customer, agentId),
            (null, { } taskRef) => BudgetScope.Task(customer, taskRef),
            _ => throw new CliException(ExitCodes.BadArguments, "Give --agent or --task, not both."),
        };
    }
}
