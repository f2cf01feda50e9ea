using Microsoft.Extensions.DependencyInjection;

namespace AgentBill;

internal sealed class AgentBillBuilder(IServiceCollection services) : IAgentBillBuilder
{
    public IServiceCollection Services { get; } = services;
}
