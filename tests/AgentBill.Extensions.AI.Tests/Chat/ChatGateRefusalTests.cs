using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class ChatGateRefusalTests
{
    [Fact]
    public async Task A_budget_that_cannot_hold_the_estimate_throws_before_the_model_is_called()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 100);
        var inner = ScriptedChatClient.Replying("never", 1, 1);
        using var gate = Gates.Chat(inner, bill);

        // No MaxOutputTokens: 4,096 output tokens are held, 2,457.6 micro-USD on gpt-4o-mini alone.
        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => gate.GetResponseAsync("Hi", Gates.For("alice")));

        Assert.Equal(0, inner.Calls);
        Assert.Equal(RefusalReason.BudgetExhausted, ex.Result!.Reason);
        Assert.Equal(100, ex.Result.RemainingUnits);
        Assert.Equal(0, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
    }

    [Fact]
    public async Task An_estimate_above_the_gates_ceiling_throws_before_the_model_is_called()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("never", 1, 1);
        using var gate = Gates.Chat(inner, bill, o => o.Ceiling = 1_000);

        var ex = await Assert.ThrowsAsync<CeilingExceededException>(() => gate.GetResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 2_000)));

        Assert.Equal(0, inner.Calls);
        Assert.Equal(1_202, ex.Result!.EstimatedUnits);
    }

    [Fact]
    public async Task An_unpriced_model_is_refused_as_unknown_before_the_model_is_called()
    {
        await using var bill = TestBills.Create();
        var meters = Gates.MeterFactory();
        using var unknown = new MetricCollector<long>(meters, AgentBillDiagnostics.Name, "agentbill.model_calls.unknown_model");
        var inner = ScriptedChatClient.Replying("never", 1, 1, defaultModelId: "llama-3.1-70b");
        using var gate = Gates.Chat(inner, bill, meterFactory: meters);

        var ex = await Assert.ThrowsAsync<UnknownModelException>(() => gate.GetResponseAsync("Hi", Gates.For("alice")));

        Assert.Equal(0, inner.Calls);
        Assert.Equal("llama-3.1-70b", ex.ModelId);
        Assert.Equal(RefusalReason.UnknownModel, ex.Result!.Reason);
        Assert.Equal(1, unknown.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_call_that_names_no_model_is_refused_when_money_is_counted()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("never", 1, 1, defaultModelId: null);
        using var gate = Gates.Chat(inner, bill);

        var ex = await Assert.ThrowsAsync<UnknownModelException>(() => gate.GetResponseAsync("Hi", Gates.For("alice")));

        Assert.Null(ex.ModelId);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task The_response_mode_answers_a_refusal_without_calling_the_model()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 100);
        var inner = ScriptedChatClient.Replying("never", 1, 1);
        using var gate = Gates.Chat(inner, bill, o => o.RefusalMode = AgentBillRefusalMode.ReturnResponse);

        var response = await gate.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Equal(0, inner.Calls);
        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, response.FinishReason);
        Assert.Equal("This request was not sent to the model: the budget cannot pay for it. Waiting will not help: the request must be smaller or the budget larger.", response.Text);
        var refusal = Assert.IsType<PreflightResult>(response.AdditionalProperties![AgentBillPropertyNames.Refusal]);
        Assert.Equal(RefusalReason.BudgetExhausted, refusal.Reason);
        Assert.Equal(0L, response.AdditionalProperties[AgentBillPropertyNames.ChargedUnits]);
    }

    [Fact]
    public async Task A_bad_customer_id_is_an_argument_error_and_nothing_is_called_or_charged()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("never", 1, 1);
        using var gate = Gates.Chat(inner, bill);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => gate.GetResponseAsync("Hi", Gates.For("ali\nce")));

        Assert.Equal("customerId", ex.ParamName);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task A_customer_id_that_is_not_a_string_is_an_argument_error()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("never", 1, 1);
        using var gate = Gates.Chat(inner, bill);
        var options = new ChatOptions { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = 42 } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => gate.GetResponseAsync("Hi", options));

        Assert.Equal(AgentBillPropertyNames.CustomerId, ex.ParamName);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task The_units_meter_is_refused_naming_the_option()
    {
        await using var bill = TestBills.Create();
        using var inner = new ScriptedChatClient();

        var ex = Assert.Throws<ArgumentException>(() => Gates.Chat(inner, bill, o => o.Meter = UsageMeter.Units));

        Assert.Equal(nameof(AgentBillChatClientOptions.Meter), ex.ParamName);
    }
}
