using AgentBill.Ledger;

namespace AgentBill.Tests.Resilience;

/// <summary>The wait before each retry of a charge: exponential, jittered a quarter either side, bounded.</summary>
public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    public void A_wait_in_the_middle_of_its_jitter_is_the_exponential_wait(int attempt, int milliseconds)
        => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryBackoff.Delay(TimeSpan.FromMilliseconds(200), attempt, random: 0.5));

    [Fact]
    public void The_jitter_spreads_a_wait_from_three_quarters_to_five_quarters_of_it()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(300), RetryBackoff.Delay(TimeSpan.FromMilliseconds(200), 2, random: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(500), RetryBackoff.Delay(TimeSpan.FromMilliseconds(200), 2, random: 1));
    }

    [Fact]
    public void A_jittered_wait_never_exceeds_ten_minutes()
        => Assert.Equal(TimeSpan.FromMinutes(10), RetryBackoff.Delay(TimeSpan.FromMinutes(8), 20, random: 1));

    [Fact]
    public void Each_wait_draws_its_own_random_number()
    {
        var draws = new Queue<double>([0, 1, 0.5]);
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), draws.Dequeue);

        Assert.Equal(
            [TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(1250), TimeSpan.FromMilliseconds(1000)],
            [backoff.Next(1), backoff.Next(1), backoff.Next(1)]);
    }

    [Fact]
    public void Waits_drawn_from_the_shared_random_stay_within_their_bounds()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1));

        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(backoff.Next(2), TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(2500));
        }
    }

    [Fact]
    public void The_retry_window_counts_every_attempt_timing_out_and_every_wait_at_its_longest_twice()
    {
        // 3 attempts of 5 s, waits of at most 250 ms and 500 ms: 15.75 s, twice.
        Assert.Equal(TimeSpan.FromSeconds(31.5), RetryBackoff.RetryWindow(new AgentBillOptions()));
    }
}
