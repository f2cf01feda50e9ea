using System.Collections.Concurrent;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// A stalled server (SIGSTOP) is an outage, not a wrong clock: calls it does not answer in time are
/// AgentBillUnavailableException, whose outcome is unknown, never ClockSkewException; what was acknowledged is
/// charged, what was ambiguous is charged at most once, and a retry by the same reservation id lands exactly once.
/// </summary>
public sealed class StallTests : IAsyncLifetime
{
    private const int Callers = 16;
    private const long Estimate = 10;
    private const long Actual = 7;

    private RedisServer _server = null!;
    private ConnectionMultiplexer _connection = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        var options = ConfigurationOptions.Parse(_server.EndPoint);
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_server_stalled_past_the_timeout_and_the_skew_bound_is_an_outage_and_every_record_lands_at_most_once_then_exactly_once_on_retry()
    {
        // StoreTimeout past the skew bound, as by default (5 s and 2 s): a request the client still awaits when the
        // server resumes is older than the bound. Half the callers retry a record once, half never (their records
        // that time out are the ambiguous ones); the server stops for longer than StoreTimeout + MaxClockSkew.
        var options = new RedisLedgerOptions { KeyPrefix = "st" + Guid.NewGuid().ToString("N"), MaxClockSkew = TimeSpan.FromSeconds(1) };
        var ledger = new RedisBudgetLedger(_connection, options);
        AgentBillClient Client(int attempts) => new(
            ledger,
            new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(3), RecordAttempts = attempts, RecordRetryDelay = TimeSpan.FromMilliseconds(100), ReservationTtl = TimeSpan.FromMinutes(5) });
        await using var retrying = Client(attempts: 2);
        await using var once = Client(attempts: 1);
        var scope = BudgetScope.Customer("acme");
        await retrying.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 1_000_000_000, BudgetPeriod.Month));

        var rounds = new int[Callers];
        var acked = 0L;
        var ambiguous = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<Exception>();
        var done = 0;

        async Task CallerAsync(int caller)
        {
            var bill = caller % 2 == 0 ? retrying : once;
            for (var i = 0; i < 100_000 && Volatile.Read(ref done) == 0; i++)
            {
                PreflightResult held;
                try
                {
                    held = await bill.PreflightAsync("researcher", Estimate, "acme");
                }
                catch (AgentBillUnavailableException)
                {
                    // Nothing to settle: the client releases an abandoned hold by its id once the server answers.
                    Interlocked.Increment(ref rounds[caller]);
                    continue;
                }
                catch (Exception ex)
                {
                    unexpected.Add(ex);
                    return;
                }

                Assert.True(held.Approved);
                try
                {
                    await bill.RecordAsync(new RecordRequest("researcher", Actual) { CustomerId = "acme", ReservationId = held.ReservationId });
                    Interlocked.Add(ref acked, Actual);
                }
                catch (AgentBillUnavailableException ex)
                {
                    // A retry's refusal is reported as an unknown outcome too: it must not be a skew in disguise.
                    if (ex.InnerException is ClockSkewException skew)
                    {
                        unexpected.Add(skew);
                    }

                    ambiguous.Add(held.ReservationId!);
                }
                catch (Exception ex)
                {
                    unexpected.Add(ex);
                    return;
                }

                Interlocked.Increment(ref rounds[caller]);
            }
        }

        var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(() => CallerAsync(c))).ToArray();
        await UntilEveryCallerAsync(rounds, unexpected, Enumerable.Repeat(20, Callers).ToArray());

        await _server.FreezeAsync();
        try
        {
            // The fault injected: the server stopped for longer than StoreTimeout + MaxClockSkew (3 s + 1 s).
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await _server.ThawAsync();
        }

        // Twenty more rounds each once the server answers again: the calls queued during the stall have run.
        await UntilEveryCallerAsync(rounds, unexpected, Enumerable.Range(0, Callers).Select(c => Volatile.Read(ref rounds[c]) + 20).ToArray());
        Volatile.Write(ref done, 1);
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(unexpected);
        Assert.NotEmpty(ambiguous);
        var used = (await retrying.GetUsageAsync(scope)).Used;
        Assert.InRange(used, acked, acked + (Actual * ambiguous.Count));

        // What the docs say to do with an unknown outcome: record again with the same reservation id.
        foreach (var id in ambiguous)
        {
            await retrying.RecordAsync(new RecordRequest("researcher", Actual) { CustomerId = "acme", ReservationId = id });
        }

        Assert.Equal(acked + (Actual * ambiguous.Count), (await retrying.GetUsageAsync(scope)).Used);
        // The holds of preflights that timed out are released in the background once their answer came.
        for (var attempt = 0; (await retrying.GetUsageAsync(scope)).Reserved != 0; attempt++)
        {
            Assert.True(attempt < 1000, "abandoned holds were not released");
            await Task.Delay(10);
        }
    }

    /// <summary>Bounded polling of the callers' progress: until each has done at least its target's rounds.</summary>
    private static async Task UntilEveryCallerAsync(int[] rounds, ConcurrentBag<Exception> unexpected, int[] targets)
    {
        for (var attempt = 0; Enumerable.Range(0, rounds.Length).Any(c => Volatile.Read(ref rounds[c]) < targets[c]); attempt++)
        {
            Assert.Empty(unexpected);
            Assert.True(attempt < 6000, "the callers made no progress");
            await Task.Delay(10);
        }
    }
}
