using AgentBill.InMemory;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Tests;

/// <summary>
/// Random sequences of preflight, commit, release, record, top-up and time passing, checked step by step
/// against a small reference model of one customer's budget.
/// </summary>
public sealed class LedgerModelPropertyTests
{
    private const long Limit = 100;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly string[] Agents = ["researcher", "writer"];

    private static readonly Gen<Op> AnyOp = Gen.OneOf<Op>(
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 45]).Select((agent, units) => (Op)new PreflightOp(agent, units)),
        Gen.Select(Gen.Int[0, 20], Gen.Int[0, 60]).Select((pick, actual) => (Op)new CommitOp(pick, actual)),
        Gen.Int[0, 20].Select(pick => (Op)new ReleaseOp(pick)),
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 30]).Select((agent, units) => (Op)new RecordOp(agent, units)),
        Gen.Select(Gen.Int[0, 20], Gen.Int[0, 30]).Select((pick, units) => (Op)new TopUpOp(pick, units)),
        Gen.Int[1, 12].Select(minutes => (Op)new AdvanceOp(minutes)));

    [Fact]
    public async Task The_in_memory_ledger_behaves_like_the_reference_model()
    {
        await AnyOp.Array[1, 60].SampleAsync(RunAgainstModel, iter: 1000, print: ops => string.Join("\n", ops.Select(o => o.ToString())));
    }

    private static async Task RunAgainstModel(Op[] ops)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var client = new AgentBillClient(new InMemoryBudgetLedger(), new AgentBillOptions { ReservationTtl = Ttl }, time);
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, Limit, BudgetPeriod.Lifetime));
        var model = new Model();

        foreach (var op in ops)
        {
            switch (op)
            {
                case PreflightOp(var agent, var units):
                    var result = await client.PreflightAsync(Agents[agent], units, "acme");
                    Assert.Equal(model.Fits(units), result.Approved);
                    if (result.Approved)
                    {
                        model.Holds.Add(new ModelHold(result.ReservationId!, agent, units, time.GetUtcNow() + Ttl, model.Holds.Count));
                    }

                    break;
                case CommitOp(var pick, var actual) when model.Pick(pick) is { Settled: false } hold:
                    var commit = await client.RecordAsync(new RecordRequest(Agents[hold.Agent], actual) { CustomerId = "acme", ReservationId = hold.Id });
                    Assert.Equal(hold.IsOpen ? hold.Id : null, commit.SettledReservationId);
                    model.Used += actual;
                    hold.Settled = true;
                    break;
                case ReleaseOp(var pick) when model.Pick(pick) is { } hold:
                    Assert.Equal(hold.IsOpen, await client.ReleaseAsync(hold.Id, "acme"));
                    hold.Settled |= hold.IsOpen;
                    break;
                case RecordOp(var agent, var units):
                    var oldest = model.Open.Where(h => h.Agent == agent).MinBy(h => h.Sequence);
                    var record = await client.RecordAsync(Agents[agent], units, "acme");
                    Assert.Equal(oldest?.Id, record.SettledReservationId);
                    model.Used += units;
                    oldest?.Settled = true;
                    break;
                case TopUpOp(var pick, var units) when model.Pick(pick) is { } hold:
                    var topUp = await client.TopUpAsync(hold.Id, units, "acme");
                    var fits = hold.IsOpen && units <= model.Available;
                    Assert.Equal(fits, topUp.Approved);
                    if (fits)
                    {
                        hold.Units += units;
                        hold.ExpiresAt = time.GetUtcNow() + Ttl;
                    }

                    break;
                case AdvanceOp(var minutes):
                    time.Advance(TimeSpan.FromMinutes(minutes));
                    break;
            }

            model.Expire(time.GetUtcNow());
            var usage = await client.GetUsageAsync(scope);
            Assert.Equal(model.Used, usage.Used);
            Assert.Equal(model.Open.Sum(h => h.Units), usage.Reserved);
            Assert.Equal(model.Open.Select(h => h.Id).Order(), (await client.GetOpenHoldsAsync("acme")).Select(h => h.ReservationId).Order());
        }
    }

    private abstract record Op;

    private sealed record PreflightOp(int Agent, int Units) : Op;

    private sealed record CommitOp(int Pick, int Actual) : Op;

    private sealed record ReleaseOp(int Pick) : Op;

    private sealed record RecordOp(int Agent, int Units) : Op;

    private sealed record TopUpOp(int Pick, int Units) : Op;

    private sealed record AdvanceOp(int Minutes) : Op;

    private sealed class ModelHold(string id, int agent, long units, DateTimeOffset expiresAt, int sequence)
    {
        public string Id { get; } = id;
        public int Agent { get; } = agent;
        public int Sequence { get; } = sequence;
        public long Units { get; set; } = units;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
        public bool Settled { get; set; }
        public bool Expired { get; set; }
        public bool IsOpen => !Settled && !Expired;
    }

    /// <summary>What the ledger must hold: settled usage and the holds that are neither settled, released nor expired.</summary>
    private sealed class Model
    {
        public List<ModelHold> Holds { get; } = [];
        public long Used { get; set; }
        public IEnumerable<ModelHold> Open => Holds.Where(h => h.IsOpen);
        public long Available => Limit - Used - Open.Sum(h => h.Units);

        public bool Fits(long units) => Available > 0 && units <= Available;

        public ModelHold? Pick(int index) => Holds.Count == 0 ? null : Holds[index % Holds.Count];

        public void Expire(DateTimeOffset now)
        {
            foreach (var hold in Open.Where(h => h.ExpiresAt <= now).ToList())
            {
                hold.Expired = true;
            }
        }
    }
}
