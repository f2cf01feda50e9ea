using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Extensions.AI.Tests.Embeddings;

public sealed class EmbeddingGateTests
{
    [Fact]
    public async Task The_hold_is_the_priced_token_count_of_the_texts()
    {
        await using var recording = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var bill = new RecordingBill(recording);
        using var gate = new AgentBillEmbeddingGenerator(new ScriptedEmbeddingGenerator(8), bill);

        await gate.GenerateAsync(["Hello, world!", "こんにちは世界"], For("alice"));

        // text-embedding-3-large counts with cl100k: 4 + 4 tokens × $0.13/M = 1.04 micro-USD, rounded up.
        var preflight = Assert.Single(bill.Preflights);
        Assert.Equal(("embeddings", 2L), (preflight.AgentId, preflight.EstimatedUnits));
    }

    [Fact]
    public async Task The_reported_usage_is_charged()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = new AgentBillEmbeddingGenerator(new ScriptedEmbeddingGenerator(10_000), bill);

        var embeddings = await gate.GenerateAsync(["Hello, world!"], For("alice"));

        // 10,000 × $0.13/M.
        Assert.Equal(1_300, await bill.UsedAsync("alice"));
        Assert.Equal(1_300L, embeddings.AdditionalProperties![AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(false, embeddings.AdditionalProperties[AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task Missing_usage_charges_the_estimate_and_flags_it()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000, UsageMeter.Tokens);
        using var gate = new AgentBillEmbeddingGenerator(new ScriptedEmbeddingGenerator(null), bill, new AgentBillEmbeddingGeneratorOptions { Meter = UsageMeter.Tokens });

        var embeddings = await gate.GenerateAsync(["Hello, world!", "こんにちは世界"], For("alice"));

        Assert.Equal(8, await bill.UsedAsync("alice", UsageMeter.Tokens));
        Assert.Equal(true, embeddings.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task A_refused_call_never_reaches_the_model()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 5, UsageMeter.Tokens);
        var inner = new ScriptedEmbeddingGenerator(8);
        using var gate = new AgentBillEmbeddingGenerator(inner, bill, new AgentBillEmbeddingGeneratorOptions { Meter = UsageMeter.Tokens });

        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => gate.GenerateAsync(["Hello, world!", "こんにちは世界"], For("alice")));

        Assert.Equal(0, inner.Calls);
        Assert.Equal(8, ex.Result!.EstimatedUnits);
    }

    [Fact]
    public async Task With_RequireCustomer_a_call_naming_no_customer_never_reaches_the_model_and_holds_nothing()
    {
        await using var bill = TestBills.Create(configure: o => o.RequireCustomer = true);
        var inner = new ScriptedEmbeddingGenerator(8);
        using var gate = new AgentBillEmbeddingGenerator(inner, bill, new AgentBillEmbeddingGeneratorOptions { Meter = UsageMeter.Tokens });

        await Assert.ThrowsAsync<CustomerRequiredException>(() => gate.GenerateAsync(["Hello, world!"]));

        Assert.Equal(0, inner.Calls);
        Assert.Empty(await bill.GetOpenHoldsAsync("default"));
    }

    [Fact]
    public async Task An_unpriced_embedding_model_is_refused_as_unknown()
    {
        await using var bill = TestBills.Create();
        var inner = new ScriptedEmbeddingGenerator(8, defaultModelId: "nomic-embed-text");
        using var gate = new AgentBillEmbeddingGenerator(inner, bill);

        var ex = await Assert.ThrowsAsync<UnknownModelException>(() => gate.GenerateAsync(["Hello"], For("alice")));

        Assert.Equal("nomic-embed-text", ex.ModelId);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task The_gates_own_properties_never_reach_the_provider()
    {
        await using var bill = TestBills.Create();
        var inner = new ScriptedEmbeddingGenerator(8);
        using var gate = new AgentBillEmbeddingGenerator(inner, bill);

        await gate.GenerateAsync(["Hello"], For("alice"));

        Assert.Null(Assert.Single(inner.ReceivedOptions)!.AdditionalProperties);
    }

    [Fact]
    public async Task UseAgentBill_adds_the_gate_to_an_embedding_pipeline()
    {
        await using var services = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();
        var admin = services.GetRequiredService<IAgentBillAdmin>();
        await admin.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.MicroUsd, 1_000_000, BudgetPeriod.Lifetime));
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(new ScriptedEmbeddingGenerator(10_000))
            .UseAgentBill(configure: o => o.AgentId = "indexer")
            .Build(services);

        using (AgentBillContext.Begin(customerId: "alice"))
        {
            await generator.GenerateAsync(["Hello"]);
        }

        Assert.NotNull(generator.GetService<AgentBillEmbeddingGenerator>());
        Assert.Equal(1_300, (await admin.GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.MicroUsd)).Used);
    }

    private static EmbeddingGenerationOptions For(string customerId)
        => new() { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = customerId } };
}
