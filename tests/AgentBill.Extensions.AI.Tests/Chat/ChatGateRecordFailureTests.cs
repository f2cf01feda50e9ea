using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class ChatGateRecordFailureTests
{
    [Fact]
    public async Task A_record_that_cannot_reach_the_store_still_returns_the_response_flagged()
    {
        var ledger = new FailingChargeLedger();
        await using var bill = TestBills.Create(ledger: ledger, configure: o => o.RecordAttempts = 3);
        var meters = Gates.MeterFactory();
        using var failures = new MetricCollector<long>(meters, AgentBillDiagnostics.Name, "agentbill.model_calls.record_failures");
        var inner = ScriptedChatClient.Replying("The provider's answer.", 1_000, 200);
        using var gate = Gates.Chat(inner, bill, meterFactory: meters);

        var response = await gate.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Equal("The provider's answer.", response.Text);
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.RecordFailed]);
        Assert.Equal(270L, response.AdditionalProperties[AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task A_failing_record_is_retried_by_the_client_with_one_idempotency_key()
    {
        var ledger = new FailingChargeLedger();
        await using var bill = TestBills.Create(ledger: ledger, configure: o => o.RecordAttempts = 3);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 1_000, 200), bill);

        await gate.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Equal(3, ledger.ChargeKeys.Count);
        Assert.Single(ledger.ChargeKeys.Distinct());
    }

    [Fact]
    public async Task A_streamed_response_survives_a_record_failure()
    {
        var ledger = new FailingChargeLedger();
        await using var bill = TestBills.Create(ledger: ledger, configure: o => o.RecordAttempts = 2);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream(
            [new ChatResponseUpdate(ChatRole.Assistant, "Still "), new ChatResponseUpdate(ChatRole.Assistant, "here.")], ct));
        using var gate = Gates.Chat(inner, bill);

        var response = await gate.GetStreamingResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 10)).ToChatResponseAsync();

        Assert.Equal("Still here.", response.Text);
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.RecordFailed]);
    }
}
