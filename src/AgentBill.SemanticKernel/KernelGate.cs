using System.Diagnostics.Metrics;
using System.Text.Json;
using AgentBill.Extensions.AI;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>What the three kernel filters share: the budget gate, the model-call gate, and how a kernel call is read.</summary>
internal sealed class KernelGate : IDisposable
{
    // The extension-data keys connectors read a call's output cap from.
    private static readonly string[] MaxOutputKeys = ["max_tokens", "max_completion_tokens", "max_output_tokens", "maxOutputTokens"];

    public KernelGate(IAgentBill bill, AgentBillKernelOptions options, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(options);
        Bill = bill;
        Options = options;
        Models = new ModelCallGate(bill, options, "kernel", logger, meterFactory, timeProvider);
    }

    public IAgentBill Bill { get; }

    public AgentBillKernelOptions Options { get; }

    public ModelCallGate Models { get; }

    /// <summary>
    /// Whether a prompt function's model calls already go through a gated chat client: the kernel has no chat
    /// completion service of its own (so prompt functions use its <see cref="IChatClient"/>), and that client's
    /// pipeline holds an <see cref="AgentBillChatClient"/>. Then that gate holds every round-trip, and the filters
    /// only name the parties.
    /// </summary>
    public static bool ModelCallsAreGated(Kernel kernel) => ChatGateOf(kernel) is not null;

    /// <summary>The gated chat client that holds a prompt function's round-trips (<see cref="ModelCallsAreGated"/>), or <see langword="null"/>.</summary>
    public static AgentBillChatClient? ChatGateOf(Kernel kernel)
        => kernel.Services.GetService<Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService>() is null
            ? kernel.Services.GetService<IChatClient>()?.GetService(typeof(AgentBillChatClient)) as AgentBillChatClient
            : null;

    /// <summary>
    /// The agent a kernel's round-trips are charged to: the gated chat client's when it holds them (an ambient
    /// context's first), else the kernel's (<see cref="Parties"/>).
    /// </summary>
    public static string RoundTripAgent(Kernel kernel, ModelCallParties parties)
        => ChatGateOf(kernel) is { } chat ? AgentBillContext.Current?.AgentId ?? chat.AgentId : parties.AgentId;

    /// <summary>
    /// A context naming the customer and task a function's <see cref="KernelArguments"/> name (under
    /// <see cref="AgentBillPropertyNames.CustomerId"/> and <see cref="AgentBillPropertyNames.TaskRef"/>), or
    /// <see langword="null"/> when they name neither: the ambient context then applies.
    /// </summary>
    /// <exception cref="ArgumentException">A value under one of those keys is not a string.</exception>
    public static AgentBillContext? Name(KernelArguments arguments)
    {
        var customer = Read(arguments, AgentBillPropertyNames.CustomerId);
        var task = Read(arguments, AgentBillPropertyNames.TaskRef);
        return customer is null && task is null ? null : AgentBillContext.Begin(customer, task);
    }

    /// <summary>Who a model call of the kernel is charged to: the ambient context (named by the arguments), else the selector, else the defaults.</summary>
    public ModelCallParties Parties(KernelArguments arguments, Kernel kernel)
        => ModelCallParties.Resolve(properties: null, AgentBillContext.Current, Options.CustomerIdSelector, arguments, kernel, Options.AgentId);

    /// <summary>The model a call is priced at: the execution settings', else the kernel's chat client's default, else the options'.</summary>
    public string? ModelOf(PromptExecutionSettings? settings, Kernel kernel)
        => settings?.ModelId
            ?? (kernel.Services.GetService<Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService>()?.Attributes.TryGetValue(ModelIdAttribute, out var serviceModel) == true ? serviceModel as string : null)
            ?? kernel.Services.GetService<IChatClient>()?.GetService<ChatClientMetadata>()?.DefaultModelId
            ?? Options.ModelId;

    // The attribute every kernel AI service names its model under (Semantic Kernel's AIServiceExtensions.ModelIdKey).
    private const string ModelIdAttribute = "ModelId";

    /// <summary>What a model call may cost: the prompt's tokens and the output cap of its settings (else the options' default).</summary>
    public TokenUsage Estimate(IReadOnlyList<ChatMessage> prompt, PromptExecutionSettings? settings, string? modelId)
        => new(Options.Estimator.EstimatePromptTokens(prompt, null, modelId), 0, MaxOutputTokens(settings));

    /// <summary>The cost of one call of a native function, or <see langword="null"/> when it has none.</summary>
    public long? CostOf(KernelFunction function) => ToolCostHold.CostOf(Options.ToolCosts, function.PluginName, function.Name, function.UnderlyingMethod);

    /// <summary>
    /// Whether a function is a prompt function (its body is one model call), as Semantic Kernel builds them from a
    /// prompt or template. Anything else — a method, an <c>AIFunction</c>, an OpenAPI or MCP operation — is a tool: it
    /// may have a cost of its own, and the model calls it makes are gated as calls of their own, never taken as covered
    /// by a hold around it.
    /// </summary>
    public static bool IsPrompt(KernelFunction function)
    {
        for (var type = function.GetType(); type is not null; type = type.BaseType)
        {
            if (type.FullName == PromptFunctionType)
            {
                return true;
            }
        }

        return false;
    }

    // Semantic Kernel's (internal) type of every function CreateFromPrompt makes, whatever the template engine.
    private const string PromptFunctionType = "Microsoft.SemanticKernel.KernelFunctionFromPrompt";

    /// <summary>The answer of a function the budget refused: the reason as text, and the refusal under <see cref="AgentBillPropertyNames.Refusal"/>.</summary>
    public static FunctionResult Refused(KernelFunction function, PreflightResult refusal)
        => new(function, AgentBillRefusals.Text(refusal), metadata: new Dictionary<string, object?> { [AgentBillPropertyNames.Refusal] = refusal });

    /// <summary>The answer of a tool whose cost the budget refused: <see cref="AgentBillRefusals.ToolText"/>, and the refusal under <see cref="AgentBillPropertyNames.Refusal"/>.</summary>
    public static FunctionResult RefusedTool(KernelFunction function, PreflightResult refusal)
        => new(function, AgentBillRefusals.ToolText(function.Name, refusal), metadata: new Dictionary<string, object?> { [AgentBillPropertyNames.Refusal] = refusal });

    /// <summary>Whether a function's result is a refusal (<see cref="Refused"/>).</summary>
    public static bool IsRefusal(FunctionResult? result) => result?.Metadata?.ContainsKey(AgentBillPropertyNames.Refusal) == true;

    public void Dispose() => Models.Dispose();

    private long MaxOutputTokens(PromptExecutionSettings? settings)
    {
        if (settings?.ExtensionData is { } data)
        {
            foreach (var key in MaxOutputKeys)
            {
                if (data.TryGetValue(key, out var value) && AsCount(value) is { } cap)
                {
                    return cap;
                }
            }
        }

        return Options.DefaultMaxOutputTokens;
    }

    private static long? AsCount(object? value)
    {
        long? count = value switch
        {
            int number => number,
            long number => number,
            JsonElement { ValueKind: JsonValueKind.Number } json when json.TryGetInt64(out var number) => number,
            string text when long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
        return count > 0 ? count : null;
    }

    private static string? Read(KernelArguments arguments, string key)
    {
        if (!arguments.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value as string
            ?? throw new ArgumentException($"The kernel argument '{key}' must be a string, not {value.GetType().Name}.", nameof(arguments));
    }
}
