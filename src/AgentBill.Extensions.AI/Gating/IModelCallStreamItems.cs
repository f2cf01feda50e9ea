namespace AgentBill.Extensions.AI;

/// <summary>
/// What the items of a gated stream say about its model call, for <see cref="ModelCallGate"/>'s stream runner: the
/// usage they report, the model that answered, whether the answer finished, and the output they carry; and the items
/// the stream answers with instead of calling (a refusal) and ends with (the settlement).
/// </summary>
/// <typeparam name="T">The stream's items.</typeparam>
/// <remarks>Implement it on a struct: the runner then reads the items with no allocation of its own.</remarks>
public interface IModelCallStreamItems<T>
{
    /// <summary>Reads one item into what the stream has said so far.</summary>
    /// <param name="item">The item.</param>
    /// <param name="reading">What the stream has said so far.</param>
    void Read(T item, ref ModelCallStreamReading reading);

    /// <summary>The output the items carried, for checking a usage against (docs/model-call-usage.md).</summary>
    /// <param name="received">The items received, in order.</param>
    /// <returns>The output as messages.</returns>
    IEnumerable<Microsoft.Extensions.AI.ChatMessage> Output(IReadOnlyList<T> received);

    /// <summary>An item to answer a refusal with instead of throwing it, when the gate answers refusals.</summary>
    /// <param name="refusal">The refusal.</param>
    /// <param name="item">The answer.</param>
    /// <returns>Whether the refusal is answered; <see langword="false"/> throws it.</returns>
    bool TryAnswer(AgentBillRefusedException refusal, out T item);

    /// <summary>An item to end a settled stream with, carrying what it was charged.</summary>
    /// <param name="settlement">What the stream was charged.</param>
    /// <param name="item">The last item.</param>
    /// <returns>Whether there is one.</returns>
    bool TryTrailer(ModelCallSettlement settlement, out T item);
}
