using AgentBill.InMemory;
using CsCheck;

namespace AgentBill.Tests;

/// <summary>
/// The in-memory store's memory of settled holds against a plain dictionary of what was remembered until when: over
/// random ids (the client's form, chosen numbers, other text), forget times and window turns.
/// </summary>
public sealed class SettledHoldsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    // An id of the client's form (random or from a small set, so repeats and clusters happen), upper-case hex (another
    // id, not the same number), or other text.
    private static readonly Gen<string> AnyId = Gen.OneOf(
        Gen.Const(() => Guid.NewGuid().ToString("N")),
        Gen.Int[0, 40].Select(n => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Int[0, 40].Select(n => n.ToString("X32", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Int[0, 40].Select(n => "hold-" + n));

    // (kind, id, seconds): 0 remembers id until start + clock + seconds, 1 moves the clock on by seconds and turns the window if due.
    private static readonly Gen<(int Kind, string Id, int Seconds)> AnyStep = Gen.Select(Gen.Int[0, 3], AnyId, Gen.Int[1, 20]);

    [Fact]
    public void A_settle_is_answered_until_its_forget_time_and_never_after()
    {
        AnyStep.Array[1, 400].Sample(steps =>
        {
            var settled = new SettledHolds();
            var expected = new Dictionary<string, Tombstone>(StringComparer.Ordinal);
            var now = Start;
            var units = 0L;
            foreach (var (kind, id, seconds) in steps)
            {
                if (kind > 0)
                {
                    var tombstone = new Tombstone(++units, 1, -1, false, false, 7, (now + TimeSpan.FromSeconds(seconds)).UtcTicks);
                    settled.Add(id, tombstone);
                    expected[id] = tombstone;
                }
                else
                {
                    now += TimeSpan.FromSeconds(seconds);
                    settled.Forget(now);
                }

                foreach (var (known, tombstone) in expected)
                {
                    var answered = settled.TryGet(known, now, out var got);
                    Assert.Equal(tombstone.ForgetAtTicks > now.UtcTicks, answered);
                    if (answered)
                    {
                        Assert.Equal(tombstone, got);
                    }
                }

                // May say yes a little longer than needed (a book is then kept a little longer), never no while an answer remains.
                if (expected.Values.Any(t => t.ForgetAtTicks > now.UtcTicks))
                {
                    Assert.True(settled.HasAnyAt(now));
                }
            }
        });
    }

    [Fact]
    public void Ids_differing_only_in_the_case_of_their_digits_are_different_holds()
    {
        var settled = new SettledHolds();
        var lower = new string('a', 32);
        var forgetAt = (Start + TimeSpan.FromHours(1)).UtcTicks;
        settled.Add(lower, new Tombstone(5, 0, -1, false, false, 1, forgetAt));

        Assert.True(settled.TryGet(lower, Start, out var found));
        Assert.Equal(5, found.SettledUnits);
        Assert.False(settled.TryGet(lower.ToUpperInvariant(), Start, out _));
    }

    [Fact]
    public void A_hundred_thousand_settles_grow_the_table_and_every_one_is_answered()
    {
        var settled = new SettledHolds();
        var forgetAt = (Start + TimeSpan.FromHours(1)).UtcTicks;
        var ids = Enumerable.Range(0, 100_000).Select(n => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            settled.Add(ids[i], new Tombstone(i, 0, -1, false, false, 1, forgetAt));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.True(settled.TryGet(ids[i], Start, out var found));
            Assert.Equal(i, found.SettledUnits);
        }

        Assert.False(settled.TryGet(100_000.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), Start, out _));
    }

    [Fact]
    public void Ids_that_differ_only_in_their_first_digits_are_all_answered()
    {
        // Chosen ids whose low halves are equal: a hash of the low half alone would put them all in one place.
        var settled = new SettledHolds();
        var forgetAt = (Start + TimeSpan.FromHours(1)).UtcTicks;
        var ids = Enumerable.Range(0, 4096).Select(n => n.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 28)).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            settled.Add(ids[i], new Tombstone(i, 0, -1, false, false, 1, forgetAt));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.True(settled.TryGet(ids[i], Start, out var found));
            Assert.Equal(i, found.SettledUnits);
        }
    }

    [Fact]
    public void Two_turned_windows_forget_everything_an_earlier_window_remembered()
    {
        var settled = new SettledHolds();
        var id = Guid.NewGuid().ToString("N");
        settled.Add(id, new Tombstone(3, 0, -1, false, false, 1, (Start + TimeSpan.FromSeconds(10)).UtcTicks));

        settled.Forget(Start + TimeSpan.FromSeconds(11));
        settled.Forget(Start + TimeSpan.FromSeconds(12));

        Assert.False(settled.TryGet(id, Start, out _));
        Assert.False(settled.HasAnyAt(Start));
    }
}
