using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>
/// A streaming function's result runs when it is read, after the filters returned: it is run by the model-call gate's
/// stream runner, each step in the parties of the function and with its prompt call in flight, its usage folded and
/// its hold settled at the end. Semantic Kernel streams items of a few known types; the wrapper keeps the exact type,
/// since the kernel casts the result back to it.
/// </summary>
internal static class Streams
{
    /// <summary>The stream wrapped to run in the parties of now, with the prompt call (when the filters hold it) in flight.</summary>
    /// <exception cref="NotSupportedException">The result is a stream of a type the filters cannot wrap: refused rather than run ungated.</exception>
    public static object? Wrap(object? value, ModelCallGate gate, PromptCall? call) => value switch
    {
        IAsyncEnumerable<StreamingChatMessageContent> items => Run(items, gate, call),
        IAsyncEnumerable<StreamingKernelContent> items => Run(items, gate, call),
        IAsyncEnumerable<ChatResponseUpdate> items => Run(items, gate, call),
        IAsyncEnumerable<string> items => Run(items, gate, call),
        null => null,
        _ => throw new NotSupportedException(
            $"AgentBill cannot gate a streaming function whose items are {value.GetType().Name}: stream StreamingKernelContent, StreamingChatMessageContent, ChatResponseUpdate or string."),
    };

    private static IAsyncEnumerable<T> Run<T>(IAsyncEnumerable<T> items, ModelCallGate gate, PromptCall? call)
        => gate.StreamAsync(call, items, static (items, _) => items, default(KernelStreamItems<T>), CancellationToken.None);
}

/// <summary>How a kernel stream's items are read: the usage under their metadata's <c>Usage</c> (or a chat update's), and their text.</summary>
internal readonly struct KernelStreamItems<T> : IModelCallStreamItems<T>
{
    public void Read(T item, ref ModelCallStreamReading reading)
    {
        UsageDetails? usage = null;
        if (item is StreamingKernelContent content)
        {
            reading.ModelId = content.ModelId ?? reading.ModelId;
            usage = KernelUsage.From(content.Metadata) ?? KernelUsage.Of(content.InnerContent as ChatResponseUpdate);
        }
        else if (item is ChatResponseUpdate update)
        {
            reading.ModelId = update.ModelId ?? reading.ModelId;
            usage = KernelUsage.Of(update);
        }

        if (usage is not null)
        {
            reading.AddUsage(usage);
        }

        // Kernel items carry no finish reason the filters can read: a stream read to its end answered in full.
        reading.Finished = true;
    }

    public IEnumerable<ChatMessage> Output(IReadOnlyList<T> received)
        => [new ChatMessage(ChatRole.Assistant, string.Concat(received.Select(static item => item?.ToString())))];

    public bool TryAnswer(AgentBillRefusedException refusal, out T item)
    {
        item = default!;
        return false;
    }

    public bool TryTrailer(ModelCallSettlement settlement, out T item)
    {
        item = default!;
        return false;
    }
}
