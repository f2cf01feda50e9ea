using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

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

    [Fact]
    public async Task A_record_failure_is_logged_as_an_error_without_the_prompt()
    {
        const string Prompt = "My account number is 12345678, what is my balance?";
        var ledger = new FailingChargeLedger();
        await using var bill = TestBills.Create(ledger: ledger, configure: o => o.RecordAttempts = 1);
        var logger = new FakeLogger<AgentBillChatClient>();
        using var gate = new AgentBillChatClient(ScriptedChatClient.Replying("ok", null, null), bill, logger: logger);

        await gate.GetResponseAsync(Prompt, Gates.For("alice", maxOutputTokens: 10));

        var records = logger.Collector.GetSnapshot();
        Assert.Equal([(101, LogLevel.Warning), (102, LogLevel.Error)], records.Select(r => (r.Id.Id, r.Level)));
        Assert.All(records, r => Assert.DoesNotContain("12345678", r.Message, StringComparison.Ordinal));
        Assert.IsType<AgentBillUnavailableException>(records[1].Exception);
    }
}
