using AgentBill.Ledger;

namespace AgentBill.Cli.Stores;

/// <summary>
/// One kind of store the tool can open: its option, its environment variable, how it is registered, and its
/// ledger's life-cycle steps. A new store is one more instance in <see cref="LedgerStores.All"/>.
/// </summary>
/// <param name="Name">The store's name in messages (<c>redis</c>).</param>
/// <param name="Option">The option that chooses it (<c>--redis</c>).</param>
/// <param name="EnvironmentVariable">The variable that chooses it when no option does (<c>AGENTBILL_REDIS</c>).</param>
/// <param name="ValueName">What the option's value is, for help (<c>configuration</c>, <c>file</c>).</param>
/// <param name="Description">The option's help line.</param>
/// <param name="Register">Puts the store behind <c>services.AddAgentBill()</c> from the option's value.</param>
/// <param name="Initialize">Creates the ledger, once (an explicit deployment step for stores that have one).</param>
/// <param name="AcknowledgeDataLoss">Tells the store an operator restored what was lost, so it runs again.</param>
internal sealed record LedgerStore(
    string Name,
    string Option,
    string EnvironmentVariable,
    string ValueName,
    string Description,
    Action<IAgentBillBuilder, string> Register,
    Func<IBudgetLedger, CancellationToken, Task> Initialize,
    Func<IBudgetLedger, CancellationToken, Task> AcknowledgeDataLoss);
