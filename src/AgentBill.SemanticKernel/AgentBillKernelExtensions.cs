using System.Diagnostics.Metrics;
using AgentBill.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>Registers AgentBill's kernel filters: one line on a kernel builder, a service collection or a built kernel.</summary>
public static class AgentBillKernelExtensions
{
    /// <summary>
    /// Gates the kernel's functions and automatic tool loops on the budget (see <see cref="AgentBillFunctionFilter"/>,
    /// <see cref="AgentBillPromptRenderFilter"/>, <see cref="AgentBillAutoFunctionFilter"/>). For one hold per model
    /// round-trip, give the kernel a chat client gated inside its tool loop:
    /// <c>builder.Services.AddChatClient(client).UseKernelFunctionInvocation().UseAgentBill()</c>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the kernel's services.</param>
    /// <param name="configure">Sets the filters' options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static IKernelBuilder AddAgentBill(this IKernelBuilder builder, IAgentBill? bill = null, Action<AgentBillKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAgentBillFilters(bill, configure);
        return builder;
    }

    /// <summary>Registers AgentBill's kernel filters in the services a kernel is built from.</summary>
    /// <param name="services">The services.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the services.</param>
    /// <param name="configure">Sets the filters' options.</param>
    /// <returns>The <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static IServiceCollection AddAgentBillFilters(this IServiceCollection services, IAgentBill? bill = null, Action<AgentBillKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider => Gate(
            bill ?? provider.GetService<IAgentBill>() ?? throw MissingBill.Exception(),
            configure,
            provider.GetService<ILoggerFactory>()?.CreateLogger<AgentBillFunctionFilter>(),
            provider.GetService<IMeterFactory>(),
            provider.GetService<TimeProvider>()));
        services.AddSingleton<IFunctionInvocationFilter>(static provider => new AgentBillFunctionFilter(provider.GetRequiredService<KernelGate>()));
        services.AddSingleton<IPromptRenderFilter>(static provider => new AgentBillPromptRenderFilter(provider.GetRequiredService<KernelGate>()));
        services.AddSingleton<IAutoFunctionInvocationFilter>(static provider => new AgentBillAutoFunctionFilter(provider.GetRequiredService<KernelGate>()));
        return services;
    }

    /// <summary>Adds AgentBill's filters to a kernel already built.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="bill">The budget gate.</param>
    /// <param name="configure">Sets the filters' options.</param>
    /// <returns>The <paramref name="kernel"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kernel"/> or <paramref name="bill"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static Kernel UseAgentBill(this Kernel kernel, IAgentBill bill, Action<AgentBillKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(bill);
        var gate = Gate(bill, configure, null, kernel.Services.GetService<IMeterFactory>(), kernel.Services.GetService<TimeProvider>());
        kernel.FunctionInvocationFilters.Add(new AgentBillFunctionFilter(gate));
        kernel.PromptRenderFilters.Add(new AgentBillPromptRenderFilter(gate));
        kernel.AutoFunctionInvocationFilters.Add(new AgentBillAutoFunctionFilter(gate));
        return kernel;
    }

    private static KernelGate Gate(IAgentBill bill, Action<AgentBillKernelOptions>? configure, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        var options = new AgentBillKernelOptions();
        configure?.Invoke(options);
        return new KernelGate(bill, options, logger, meterFactory, timeProvider);
    }
}
