using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>Builds gates and the metrics they report to.</summary>
internal static class Gates
{
    public static AgentBillChatClient Chat(IChatClient inner, IAgentBill bill, Action<AgentBillChatClientOptions>? configure = null, IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        var options = new AgentBillChatClientOptions();
        configure?.Invoke(options);
        return new AgentBillChatClient(inner, bill, options, meterFactory: meterFactory, timeProvider: time);
    }

    /// <summary>Options for a gate whose holds live <paramref name="ttl"/> on <paramref name="time"/>.</summary>
    public static Action<AgentBillChatClientOptions> OnClock(TimeProvider time, TimeSpan ttl) => o =>
    {
        o.ReservationTtl = ttl;
        o.TimeProvider = time;
    };

    public static ChatOptions For(string customerId, int? maxOutputTokens = null, string? modelId = null) => new()
    {
        ModelId = modelId,
        MaxOutputTokens = maxOutputTokens,
        AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = customerId },
    };

    /// <summary>Asks for an answer, as a response or as a stream folded into one.</summary>
    public static Task<ChatResponse> AskAsync(this IChatClient client, string prompt, ChatOptions options, bool streaming, CancellationToken cancellationToken = default)
        => streaming
            ? client.GetStreamingResponseAsync(prompt, options, cancellationToken).ToChatResponseAsync(cancellationToken)
            : client.GetResponseAsync(prompt, options, cancellationToken);

    public static IMeterFactory MeterFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
