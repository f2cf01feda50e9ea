using System.Collections.Concurrent;
using AgentBill.Ledger;
using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>
/// The server killed under load (<c>pg_ctl stop -m immediate</c>: no checkpoint) and started again: every commit it
/// acknowledged is there, a retried charge is never counted twice, and callers meanwhile see only
/// <see cref="AgentBillUnavailableException"/>.
/// </summary>
public sealed class CrashTests
{
    private const int Callers = 8;

    [Fact]
    public async Task A_server_killed_under_load_keeps_every_acknowledged_charge_once_and_callers_see_it_unavailable_meanwhile()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await PostgresBudgetLedger.MigrateAsync(dataSource);
        var ledger = new PostgresBudgetLedger(dataSource);
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc);

        var acknowledged = new ConcurrentDictionary<string, bool>();
        var others = new ConcurrentQueue<Exception>();
        var enoughBeforeKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = 0;
        var allParked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each caller charges 1 unit under a key of its own per charge. A charge that fails is not known to have
        // committed or not: the caller waits for the server to be back and sends the same key again until it is
        // answered, as a retrying client would; the ledger must then count it once.
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            var failedOnce = false;
            for (var i = 0; ; i++)
            {
                var key = $"k{caller}-{i}";
                var answered = false;
                while (!answered)
                {
                    try
                    {
                        await ledger.ChargeAsync(Charge(calendar, key), CancellationToken.None);
                        acknowledged[key] = true;
                        answered = true;
                        if (acknowledged.Count >= 200)
                        {
                            enoughBeforeKill.TrySetResult();
                        }
                    }
                    catch (AgentBillUnavailableException) when (!failedOnce)
                    {
                        failedOnce = true;
                        if (Interlocked.Increment(ref parked) == Callers)
                        {
                            allParked.TrySetResult();
                        }

                        await restarted.Task;
                    }
                    catch (AgentBillUnavailableException)
                    {
                        // Back, but this caller's pooled connection was one the crash broke: the next one is new.
                    }
                    catch (Exception ex)
                    {
                        others.Enqueue(ex);
                        return;
                    }
                }

                if (failedOnce)
                {
                    return;
                }
            }
        })).ToArray();

        await enoughBeforeKill.Task;
        await server.KillAsync();
        await allParked.Task;
        await server.StartAgainAsync();
        restarted.SetResult();
        await Task.WhenAll(callers);

        Assert.Empty(others);
        var usage = await ledger.GetUsageAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), PeriodKeys.Lifetime, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(acknowledged.Count, usage.Used);

        // Every key acknowledged is remembered by the ledger: its replay says so and charges nothing more.
        foreach (var key in acknowledged.Keys.Take(20))
        {
            Assert.True((await ledger.ChargeAsync(Charge(calendar, key), CancellationToken.None)).IsReplay);
        }

        Assert.Equal(usage.Used, (await ledger.GetUsageAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), PeriodKeys.Lifetime, DateTimeOffset.UtcNow, CancellationToken.None)).Used);
    }

    private static ChargeCommand Charge(PeriodCalendar calendar, string key)
    {
        var now = DateTimeOffset.UtcNow;
        return new ChargeCommand(
            new LedgerCall
            {
                CustomerId = "acme",
                AgentId = "researcher",
                Meter = UsageMeter.Units,
                Now = now,
                Periods = calendar.KeysAt(now),
                Choices = calendar.ChoicesAt(now),
                IdempotencyKey = key,
                RememberUntil = now.AddDays(1),
            },
            1,
            null,
            SettleOldestHold: false);
    }
}
