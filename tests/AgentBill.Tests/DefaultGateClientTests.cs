using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Tests;

/// <summary>The [Gate] default client is set explicitly, and a second container cannot silently take it over.</summary>
[Collection(nameof(DefaultGateClientTests))]
[CollectionDefinition(nameof(DefaultGateClientTests), DisableParallelization = true)]
public sealed class DefaultGateClientTests : IDisposable
{
    public DefaultGateClientTests() => AgentBillGate.DefaultClient = null;

    public void Dispose() => AgentBillGate.DefaultClient = null;

    [Fact]
    public void Building_a_container_and_resolving_its_client_does_not_make_it_the_gate_default()
    {
        using var provider = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();

        provider.GetRequiredService<IAgentBill>();

        Assert.Null(AgentBillGate.DefaultClient);
    }

    [Fact]
    public void UseAgentBillGates_makes_the_container_client_the_default_and_can_be_repeated()
    {
        using var provider = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();

        provider.UseAgentBillGates();
        provider.UseAgentBillGates();

        Assert.Same(provider.GetRequiredService<IAgentBill>(), AgentBillGate.DefaultClient);
    }

    [Fact]
    public void A_second_container_cannot_replace_the_default_without_clearing_it_first()
    {
        using var first = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();
        using var second = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();
        first.UseAgentBillGates();

        var ex = Assert.Throws<InvalidOperationException>(() => second.UseAgentBillGates());

        Assert.Contains("already another client", ex.Message);
        Assert.Same(first.GetRequiredService<IAgentBill>(), AgentBillGate.DefaultClient);
        AgentBillGate.DefaultClient = null;
        second.UseAgentBillGates();
        Assert.Same(second.GetRequiredService<IAgentBill>(), AgentBillGate.DefaultClient);
    }
}
