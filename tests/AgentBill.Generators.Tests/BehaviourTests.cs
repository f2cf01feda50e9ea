namespace AgentBill.Generators.Tests;

/// <summary>Compiles gated code with the generator, runs it, and checks what the ledger saw.</summary>
public sealed class BehaviourTests
{
    private const string Agent = """
        using System;
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentBill;

        namespace App;

        public sealed class Researcher(IAgentBill bill)
        {
            private readonly IAgentBill _bill = bill;

            [Gate("researcher", EstimatedUnits = 10, Ceiling = 20)]
            public async Task<string> AskAsync([CustomerId] string customer, string question, CancellationToken ct)
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                GateUsage.Report(question.Length);
                return "answer to " + question;
            }

            [Gate("researcher", EstimatedUnits = 30)]
            public Task<string> AskBigAsync([CustomerId] string customer) => Task.FromResult("never");

            [Gate("researcher", EstimatedUnits = 10)]
            public int Fail([CustomerId] string customer) => throw new InvalidOperationException("boom");

            [Gate("streamer", EstimatedUnits = 10)]
            public async IAsyncEnumerable<int> StreamAsync([CustomerId] string customer, int count)
            {
                for (var i = 1; i <= count; i++)
                {
                    await Task.Yield();
                    GateUsage.Add(2);
                    yield return i;
                }
            }

            [Gate("counter", EstimatedUnits = 4)]
            private int Secret([CustomerId] string customer) => 7;

            public int CallSecret(string customer) => Secret(customer);
        }

        public static class Scenario
        {
            public static Task<string> Ask(IAgentBill bill, string customer, string question, CancellationToken ct) => new Researcher(bill).AskAsync(customer, question, ct);

            public static Task<string> AskBig(IAgentBill bill, string customer) => new Researcher(bill).AskBigAsync(customer);

            public static int Fail(IAgentBill bill, string customer) => new Researcher(bill).Fail(customer);

            public static int Secret(IAgentBill bill, string customer) => new Researcher(bill).CallSecret(customer);

            public static async Task<int> TakeFromStream(IAgentBill bill, string customer, int take)
            {
                var seen = 0;
                await foreach (var item in new Researcher(bill).StreamAsync(customer, 5))
                {
                    if (++seen == take)
                    {
                        break;
                    }
                }

                return seen;
            }
        }
        """;

    private static readonly Lazy<GatedProgram> Program = new(() => GatedProgram.Build(("Researcher.cs", Agent)));

    private readonly AgentBillClient _bill = GatedProgram.NewClient();

    [Fact]
    public async Task An_approved_call_records_the_units_the_body_reported()
    {
        await SetBudget("acme", 100);

        var answer = await Invoke<Task<string>>("Ask", _bill, "acme", "why?", CancellationToken.None);

        Assert.Equal("answer to why?", answer);
        Assert.Equal((4L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_call_refused_by_its_budget_never_runs_the_body()
    {
        await SetBudget("acme", 5);

        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => Invoke<Task<string>>("Ask", _bill, "acme", "why?", CancellationToken.None));

        Assert.Equal(5, ex.Result!.RemainingUnits);
        Assert.Equal((0L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_call_above_the_client_ceiling_is_refused()
    {
        await using var strict = new AgentBillClient(options: new AgentBillOptions { Ceiling = 25 });

        var ex = await Assert.ThrowsAsync<CeilingExceededException>(() => Invoke<Task<string>>("AskBig", strict, "acme"));

        Assert.Equal(30, ex.Result!.EstimatedUnits);
        Assert.Empty(await strict.GetOpenHoldsAsync("acme"));
    }

    [Fact]
    public async Task A_body_that_throws_releases_its_hold()
    {
        await SetBudget("acme", 100);

        Assert.Throws<InvalidOperationException>(() => Invoke<int>("Fail", _bill, "acme"));

        Assert.Equal((0L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_cancelled_call_releases_its_hold()
    {
        await SetBudget("acme", 100);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Invoke<Task<string>>("Ask", _bill, "acme", "why?", cancelled.Token));

        Assert.Equal((0L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_stream_disposed_early_settles_what_it_reported()
    {
        await SetBudget("acme", 100);

        var seen = await Invoke<Task<int>>("TakeFromStream", _bill, "acme", 2);

        Assert.Equal(2, seen);
        Assert.Equal((4L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_stream_read_to_the_end_settles_every_report()
    {
        await SetBudget("acme", 100);

        await Invoke<Task<int>>("TakeFromStream", _bill, "acme", 99);

        Assert.Equal((10L, 0L), await Usage("acme"));
    }

    [Fact]
    public async Task A_private_gated_method_is_gated_through_an_unsafe_accessor_and_records_its_estimate()
    {
        await SetBudget("acme", 100);

        var value = Invoke<int>("Secret", _bill, "acme");

        Assert.Equal(7, value);
        Assert.Equal((4L, 0L), await Usage("acme"));
    }

    private static T Invoke<T>(string method, params object[] arguments) => Program.Value.Invoke<T>("App.Scenario", method, arguments);

    private ValueTask SetBudget(string customer, long limit) => GatedProgram.SetBudget(_bill, customer, limit);

    private Task<(long Used, long Reserved)> Usage(string customer) => GatedProgram.Usage(_bill, customer);
}
