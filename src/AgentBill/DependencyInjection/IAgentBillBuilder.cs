using Microsoft.Extensions.DependencyInjection;

namespace AgentBill;

/// <summary>Configures AgentBill's services further, such as the store: <c>services.AddAgentBill().UseRedis(...)</c>.</summary>
public interface IAgentBillBuilder
{
    /// <summary>Gets the service collection AgentBill is registered in.</summary>
    IServiceCollection Services { get; }
}
