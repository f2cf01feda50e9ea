using AgentBill.InMemory;
using CsCheck;

namespace AgentBill.Tests;

/// <summary>The expiry index of the in-memory store against a sorted reference, over random adds, removals and re-keyings.</summary>
public sealed class HoldExpiryQueueTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    // (kind, pick, minutes): 0 adds a hold expiring at minutes, 1 removes the picked hold, 2 moves the picked hold to minutes.
    private static readonly Gen<(int Kind, int Pick, int Minutes)> AnyStep = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 40], Gen.Int[0, 30]);

    [Fact]
    public void The_first_hold_is_always_the_earliest_expiry_then_the_oldest()
    {
        AnyStep.Array[1, 80].Sample(steps =>
        {
            var queue = new HoldExpiryQueue();
            var open = new List<Hold>();
            var sequence = 0L;
            foreach (var (kind, pick, minutes) in steps)
            {
                if (kind == 0 || open.Count == 0)
                {
                    var hold = NewHold($"h{sequence}", Start.AddMinutes(minutes), ++sequence);
                    queue.Add(hold);
                    open.Add(hold);
                }
                else if (kind == 1)
                {
                    var hold = open[pick % open.Count];
                    queue.Remove(hold);
                    open.Remove(hold);
                    Assert.Equal(-1, hold.QueuePosition);
                }
                else
                {
                    var hold = open[pick % open.Count];
                    hold.ExpiresAt = Start.AddMinutes(minutes);
                    queue.Reorder(hold);
                }

                Assert.Equal(open.Count, queue.Count);
                if (open.Count > 0)
                {
                    var expected = open.OrderBy(h => h.ExpiresAt).ThenBy(h => h.Sequence).First();
                    Assert.Same(expected, queue.Min);
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void Taking_the_first_hold_repeatedly_yields_every_hold_in_expiry_order()
    {
        var queue = new HoldExpiryQueue();
        int[] minutes = [7, 3, 9, 3, 1, 12, 5, 5, 0];
        for (var i = 0; i < minutes.Length; i++)
        {
            queue.Add(NewHold($"h{i}", Start.AddMinutes(minutes[i]), i));
        }

        var taken = new List<string>();
        while (queue.Count > 0)
        {
            var first = queue.Min;
            queue.Remove(first);
            taken.Add(first.Id);
        }

        Assert.Equal(["h8", "h4", "h1", "h3", "h6", "h7", "h0", "h2", "h5"], taken);
    }

    private static Hold NewHold(string id, DateTimeOffset expiresAt, long sequence)
    {
        return new Hold(id, 1, expiresAt, sequence, new PeriodKeys("d:2026-11-23", "w:2026-11-23", "m:2026-11"))
        {
            Customer = new ScopeUsage(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units)),
            Agent = new ScopeUsage(new BudgetKey(BudgetScope.Agent("acme", "agent"), UsageMeter.Units)),
        };
    }
}
