using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Usage;

/// <summary>The money recorded is never less than the truth without saying so, for every shape of usage a server sends.</summary>
public sealed class HonestUsageTests
{
    // gpt-4o-mini, "Hello, world!" capped at 400 output tokens: 11 × $0.15/M + 400 × $0.60/M = 241.65, rounded up.
    private const long Hold = 242;

    // The answer "Paris." with 180 input and 300 output tokens: 180 × $0.15/M + 300 × $0.60/M = 27 + 180.
    private const long Truth = 207;

    [Theory]
    [InlineData(180L, 300L, 480L, false, Truth, ModelUsageIssue.None)]
    [InlineData(180L, 300L, 480L, true, Truth, ModelUsageIssue.None)]
    [InlineData(null, null, null, false, Hold, ModelUsageIssue.Missing)]
    [InlineData(null, null, null, true, Hold, ModelUsageIssue.Missing)]
    [InlineData(0L, 0L, 0L, false, Hold, ModelUsageIssue.Zero)]
    [InlineData(0L, 0L, 0L, true, Hold, ModelUsageIssue.Zero)]
    [InlineData(180L, 0L, 480L, false, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 0L, 480L, true, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(0L, 300L, 480L, false, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(0L, 300L, 480L, true, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 200L, 480L, false, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 200L, 480L, true, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 300L, 400L, false, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 300L, 400L, true, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(-5L, 300L, 480L, false, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(-5L, 300L, 480L, true, Truth, ModelUsageIssue.Inconsistent)]
    [InlineData(180L, 300L, 0L, false, Truth, ModelUsageIssue.None)]
    [InlineData(180L, 300L, 0L, true, Truth, ModelUsageIssue.None)]
    public async Task Each_shape_of_usage_is_charged_its_honest_bound_and_flagged(long? input, long? output, long? total, bool streaming, long charged, ModelUsageIssue issue)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var usage = input is null && output is null && total is null
            ? null
            : new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total };
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", usage), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        Assert.Equal("Paris.", response.Text);
        Assert.Equal(charged, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
        Assert.Equal(charged, response.AdditionalProperties![AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(issue != ModelUsageIssue.None, response.AdditionalProperties[AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal(issue, response.AdditionalProperties[AgentBillPropertyNames.UsageIssue]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_total_alone_is_charged_as_output_the_dearer_side(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", new UsageDetails { TotalTokenCount = 480 }), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        // 480 × $0.60/M.
        Assert.Equal(288, await bill.UsedAsync("alice"));
        Assert.Equal(ModelUsageIssue.Inconsistent, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Zero_output_with_output_received_is_charged_the_output_held(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var usage = new UsageDetails { InputTokenCount = 180, OutputTokenCount = 0, TotalTokenCount = 0 };
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", usage), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        // The reported 180 input tokens, and the 400 output tokens held: 27 + 240.
        Assert.Equal(267, await bill.UsedAsync("alice"));
        Assert.Equal(ModelUsageIssue.Zero, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Zero_output_for_an_empty_answer_is_taken_as_reported(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var usage = new UsageDetails { InputTokenCount = 180, OutputTokenCount = 0, TotalTokenCount = 180 };
        using var gate = Gates.Chat(ScriptedChatClient.Answering(string.Empty, usage), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        Assert.Equal(27, await bill.UsedAsync("alice"));
        Assert.Equal(false, response.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task More_output_received_than_held_is_charged_when_the_output_count_is_missing(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var answer = string.Join(' ', Enumerable.Repeat("word", 50));
        using var gate = Gates.Chat(ScriptedChatClient.Answering(answer, new UsageDetails { InputTokenCount = 180 }), bill);

        await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 10), streaming);

        // The call was not capped at its hold of 10 output tokens: the 50 received are charged, 27 + 50 × $0.60/M.
        Assert.Equal(57, await bill.UsedAsync("alice"));
    }
}
