using AgentBill.Ledger;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite;

/// <summary>
/// A durable ledger in one SQLite file, shared by every process that opens it: each operation is one
/// <c>BEGIN IMMEDIATE</c> transaction in WAL mode, so SQLite's file lock (not a lock in this process) keeps every
/// invariant across processes, and a commit that was acknowledged survives a crash of the process. The decisions are
/// <see cref="BudgetRules"/>'; this type only keeps the numbers, the way <see cref="AgentBill.InMemory.InMemoryBudgetLedger"/> does.
/// </summary>
/// <remarks>
/// The file and its schema are made on first use. Inside one process operations take turns on one connection with
/// its prepared statements (SQLite runs one write transaction at a time anyway; waiting in this process is
/// asynchronous, where waiting for SQLite's lock would block a thread). A file deleted, moved or replaced while the
/// process runs is detected and every operation throws <see cref="LedgerDataLostException"/> until
/// <see cref="AcknowledgeDataLossAsync"/>.
/// </remarks>
public sealed partial class SqliteBudgetLedger : IBudgetLedger, IBudgetLedgerReports, IDisposable, IAsyncDisposable
{
    private const string PreflightKeyPrefix = "p:";
    private const string ChargeKeyPrefix = "c:";
    private const string SettleKeyPrefix = "s:";

    private readonly SqliteLedgerOptions _options;
    private readonly long _retentionTicks;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private SqliteSession? _session;
    private string? _ledgerId;
    private string? _lost;
    private bool _disposed;

    /// <summary>Opens (on first use, making it when absent) the ledger in a file.</summary>
    /// <param name="path">The file, such as <c>agentbill.db</c>; its directory must exist.</param>
    /// <param name="options">The other settings, or <see langword="null"/> for the defaults; its <see cref="SqliteLedgerOptions.Path"/> is ignored.</param>
    /// <exception cref="ArgumentException">The path is empty or a setting is out of range.</exception>
    public SqliteBudgetLedger(string path, SqliteLedgerOptions? options = null)
        : this(With(options, path))
    {
    }

    /// <summary>Opens (on first use, making it when absent) the ledger in the file <see cref="SqliteLedgerOptions.Path"/> names.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The path is empty or a setting is out of range.</exception>
    public SqliteBudgetLedger(SqliteLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SqliteLedgerOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _options = options;
        FilePath = System.IO.Path.GetFullPath(options.Path!);
        _retentionTicks = options.UsageRetention.Ticks;
    }

    /// <summary>Gets the ledger file's full path.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (tx, command) =>
        {
            var call = command.Call;
            tx.Begin(call.CustomerId);
            var fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command).ToString();
            if (Replayed(tx, call, PreflightKeyPrefix, fingerprint) is { } replay)
            {
                return StoredAnswer.DecodeReserve(replay) with { IsReplay = true };
            }

            var global = tx.GlobalBudget(call.Meter);
            if (global is not null)
            {
                tx.SweepGlobal();
            }

            var applicable = tx.Resolve(BudgetRules.ScopesOf(call), call.Periods, call.DefaultCustomerBudget, global);
            foreach (var entry in applicable)
            {
                var available = tx.Available(entry, call.Periods);
                if (!BudgetRules.Fits(available, command.Units))
                {
                    var refusal = new ReserveOutcome
                    {
                        Approved = false,
                        Reason = BudgetRules.ReasonFor(entry.Key),
                        Refusal = Refusal(tx, entry, call.CustomerId, call.Periods),
                        RemainingUnits = Math.Max(0, available),
                    };
                    tx.Refused(call.CustomerId, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
                    Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(refusal));
                    return refusal;
                }
            }

            // The cap on open holds, checked after the budgets, whose refusal says more (whether waiting helps).
            if (tx.HoldCount(call.CustomerId) >= BudgetRules.MaxOpenHoldsPerCustomer)
            {
                var refusal = new ReserveOutcome { Approved = false, Reason = RefusalReason.TooManyOpenHolds };
                tx.Refused(call.CustomerId, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
                Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(refusal));
                return refusal;
            }

            if (tx.HoldIdInUse(call.CustomerId, command.ReservationId))
            {
                throw new InvalidOperationException($"A hold with id '{command.ReservationId}' is already open.");
            }

            var hold = tx.OpenHold(call, command.ReservationId, command.Units, command.ExpiresAt.UtcTicks, global is not null);
            tx.Count("approved");
            var outcome = new ReserveOutcome
            {
                Approved = true,
                RemainingUnits = Remaining(tx, applicable, call.Periods),
                ReservationId = hold.Id,
                HeldUnits = hold.Units,
                ExpiresAt = hold.ExpiresAt,
            };
            Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(outcome));
            return outcome;
        }, command.Call.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (tx, command) =>
        {
            tx.Begin(command.CustomerId);
            if (tx.FindHold(command.CustomerId, command.ReservationId) is not { } hold)
            {
                return new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen };
            }

            // The budgets that apply to the hold's scopes now, in the periods it was approved in; the global one only
            // when the hold holds a share of it.
            var global = hold.Global ? tx.GlobalBudget(hold.Meter) : null;
            if (hold.Global)
            {
                tx.SweepGlobal();
            }

            var fallback = command.DefaultCustomerBudgets.GetValueOrDefault(hold.Meter);
            var applicable = tx.Resolve(hold.Scopes, hold.Periods, fallback, global);
            foreach (var entry in applicable)
            {
                var available = tx.Available(entry, hold.Periods);
                if (command.Units > available)
                {
                    var refusal = new ReserveOutcome
                    {
                        Approved = false,
                        Reason = BudgetRules.ReasonFor(entry.Key),
                        Refusal = Refusal(tx, entry, command.CustomerId, hold.Periods),
                        RemainingUnits = Math.Max(0, available),
                        ReservationId = hold.Id,
                        HeldUnits = hold.Units,
                        ExpiresAt = hold.ExpiresAt,
                    };
                    tx.Refused(command.CustomerId, hold.Agent, hold.Task, hold.Meter, refusal, command.Units);
                    return refusal;
                }
            }

            tx.HoldOnScopes(hold, command.Units);
            hold.Units = BudgetRules.Add(hold.Units, command.Units);
            hold.Expires = Math.Max(hold.Expires, command.ExpiresAt.UtcTicks);
            tx.UpdateHold(hold);
            tx.Count("approved");
            return new ReserveOutcome
            {
                Approved = true,
                RemainingUnits = Remaining(tx, applicable, hold.Periods),
                ReservationId = hold.Id,
                HeldUnits = hold.Units,
                ExpiresAt = hold.ExpiresAt,
            };
        }, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (tx, command) =>
        {
            tx.Begin(command.CustomerId);
            if (tx.FindHold(command.CustomerId, command.ReservationId) is not { } hold)
            {
                return false;
            }

            if (command.ExpiresAt.UtcTicks > hold.Expires)
            {
                hold.Expires = command.ExpiresAt.UtcTicks;
                tx.UpdateHold(hold);
            }

            return true;
        }, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (tx, command) =>
        {
            var call = command.Call;
            tx.Begin(call.CustomerId);
            var fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command).ToString();
            if (Replayed(tx, call, ChargeKeyPrefix, fingerprint) is { } replay)
            {
                return StoredAnswer.DecodeCharge(replay) with { IsReplay = true };
            }

            HoldRow? hold = null;
            if (command.ReservationId is { } reservationId)
            {
                // An open hold first: a record that named an id before its hold existed can never decide what settling
                // that hold does. A hold already settled replays; neither open nor settled is charged directly, and remembered.
                if (tx.FindHold(call.CustomerId, reservationId) is { } open)
                {
                    if (!BudgetRules.SettleAgrees(call, open.Meter, open.Agent, open.Task))
                    {
                        throw BudgetRules.SettleMismatch(reservationId, open.Meter, open.Agent, open.Task);
                    }

                    hold = open;
                }
                else if (tx.Recall(call.CustomerId, SettleKeyPrefix + reservationId) is { } settled)
                {
                    return settled.Fingerprint == StoredAnswer.SettleFingerprint(command)
                        ? StoredAnswer.DecodeCharge(settled.Outcome) with { SettledReservationId = reservationId, IsReplay = true }
                        : throw new IdempotencyConflictException(reservationId);
                }
            }
            else if (command.SettleOldestHold)
            {
                hold = tx.OldestHold(call.CustomerId, call.AgentId, call.Meter, call.TaskRef);
            }

            var global = tx.GlobalBudget(call.Meter);
            if (hold is not null ? hold.Global : global is not null)
            {
                tx.SweepGlobal();
            }

            List<Applicable> charged;
            PeriodKeys periods;
            var saturated = false;
            if (hold is not null)
            {
                periods = hold.Periods;
                tx.CloseHold(hold);
                tx.HoldOnScopes(hold, -hold.Units);
                var scopes = hold.Scopes;
                saturated |= tx.Charge(ScopeKey.Of(scopes.Customer), periods, command.Units);
                saturated |= tx.Charge(ScopeKey.Of(scopes.Agent), periods, command.Units);
                if (scopes.Task is { } task)
                {
                    saturated |= tx.Charge(ScopeKey.Of(task), periods, command.Units);
                }

                if (hold.Global)
                {
                    saturated |= tx.Charge(ScopeKey.Global(hold.Meter), periods, command.Units);
                }

                charged = tx.Resolve(scopes, periods, call.DefaultCustomerBudget, hold.Global ? global : null);
            }
            else
            {
                periods = call.Periods;
                var scopes = BudgetRules.ScopesOf(call);
                tx.Preload(scopes, periods);
                saturated |= tx.Charge(ScopeKey.Of(scopes.Customer), periods, command.Units);
                saturated |= tx.Charge(ScopeKey.Of(scopes.Agent), periods, command.Units);
                if (scopes.Task is { } task)
                {
                    saturated |= tx.Charge(ScopeKey.Of(task), periods, command.Units);
                }

                if (global is not null)
                {
                    saturated |= tx.Charge(ScopeKey.Global(call.Meter), periods, command.Units);
                }

                charged = tx.Resolve(scopes, periods, call.DefaultCustomerBudget, global);
            }

            var outcome = new ChargeOutcome
            {
                Units = command.Units,
                SettledReservationId = hold?.Id,
                ReleasedUnits = hold?.Units ?? 0,
                IsOverrun = charged.Exists(entry => tx.CounterOf(entry, periods).Used > entry.Limit),
                IsSaturated = saturated,
                RemainingUnits = Remaining(tx, charged, periods),
                Alerts = Alerts(tx, charged, periods, call.AlertThresholds),
            };

            // Every settle of a named hold, by a handle or a record, is remembered for the whole window.
            if (command.ReservationId is { } settledId && call.RememberUntil > call.Now)
            {
                tx.Remember(call.CustomerId, SettleKeyPrefix + settledId, StoredAnswer.SettleFingerprint(command), StoredAnswer.Encode(outcome), call.RememberUntil.UtcTicks);
            }

            Remember(tx, call, ChargeKeyPrefix, fingerprint, StoredAnswer.Encode(outcome));
            return outcome;
        }, command.Call.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (tx, command) =>
        {
            tx.Begin(command.CustomerId);
            if (tx.FindHold(command.CustomerId, command.ReservationId) is not { } hold)
            {
                return false;
            }

            tx.ReturnHold(hold);
            return true;
        }, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new(RunAsync(budget, static (tx, budget) =>
        {
            var scope = ScopeKey.Of(budget.Key);
            if (scope.Kind != BudgetScopeKind.Global)
            {
                tx.TouchWithoutTime(scope.Customer);
            }

            tx.Session.Execute(
                "INSERT INTO agentbill_budgets (customer, kind, name, meter, limit_units, period) VALUES ($1, $2, $3, $4, $5, $6) " +
                "ON CONFLICT (customer, kind, name, meter) DO UPDATE SET limit_units = excluded.limit_units, period = excluded.period",
                scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, budget.Limit, (int)budget.Period);
            return true;
        }, null, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => RunAsync(key, static (tx, key) => tx.GetBudget(key), null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => RunAsync(key, static (tx, key) =>
        {
            var scope = ScopeKey.Of(key);
            return tx.Session.Execute(
                "DELETE FROM agentbill_budgets WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4",
                scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter) > 0;
        }, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
        => RunAsync((key, periodKey), static (tx, read) =>
        {
            var scope = ScopeKey.Of(read.key);
            if (scope.Kind == BudgetScopeKind.Global)
            {
                tx.SweepGlobal();
            }
            else if (tx.CustomerExists(scope.Customer))
            {
                tx.ExpireCustomer(scope.Customer);
            }
            else
            {
                return default;
            }

            tx.Flush();
            using var reader = tx.Session.Query(
                "SELECT used, reserved FROM agentbill_usage WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period = $5",
                scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, read.periodKey);
            return reader.Read() ? new LedgerUsage(reader.GetInt64(0), reader.GetInt64(1)) : default;
        }, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        _ = PeriodKeys.KindOf(periodKey);
        return new(RunAsync((key, periodKey), static (tx, reset) =>
        {
            var scope = ScopeKey.Of(reset.key);
            tx.Session.Execute(
                "UPDATE agentbill_usage SET used = 0, alerted = 0 WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period = $5",
                scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, reset.periodKey);
            return true;
        }, null, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
        => RunAsync(customerId, static (tx, customerId) =>
        {
            if (!tx.CustomerExists(customerId))
            {
                return (IReadOnlyList<OpenHold>)Array.Empty<OpenHold>();
            }

            tx.ExpireCustomer(customerId);
            return tx.Holds(customerId, null, int.MaxValue).ConvertAll(hold => hold.ToOpenHold());
        }, now, cancellationToken);

    /// <summary>
    /// Lists one page of a customer's open holds, after expiring those due at <paramref name="now"/>, in the order of
    /// their ids as SQLite compares text (UTF-8 bytes); the cursor is the last id of the previous page. Reads one page
    /// from the index, whatever the customer holds.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cursor">The previous page's <see cref="OpenHoldPage.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most holds to return, from 1 to 1000.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, OpenHoldPage.MaxLimit);
        return RunAsync((customerId, cursor, limit), static (tx, page) =>
        {
            if (!tx.CustomerExists(page.customerId))
            {
                return new OpenHoldPage([], null);
            }

            tx.ExpireCustomer(page.customerId);
            var holds = tx.Holds(page.customerId, page.cursor, page.limit + 1).ConvertAll(hold => hold.ToOpenHold());
            if (holds.Count <= page.limit)
            {
                return new OpenHoldPage(holds, null);
            }

            holds.RemoveAt(page.limit);
            return new OpenHoldPage(holds, holds[^1].ReservationId);
        }, now, cancellationToken);
    }

    /// <summary>
    /// Tells the ledger an operator has dealt with a lost file (restored it from a backup, or accepted a new empty
    /// ledger): the ledger opens the file at its path again, making a new one when it is absent, and calls go on.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the ledger.</param>
    public async Task AcknowledgeDataLossAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DropSession();
            _lost = null;
            _ledgerId = null;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Closes the ledger's connection.</summary>
    public void Dispose()
    {
        _turn.Wait();
        try
        {
            _disposed = true;
            DropSession();
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Closes the ledger's connection.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    private static SqliteLedgerOptions With(SqliteLedgerOptions? options, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteLedgerOptions
        {
            Path = path,
            Synchronous = options?.Synchronous ?? SqliteSynchronous.Full,
            BusyTimeout = options?.BusyTimeout ?? TimeSpan.FromSeconds(5),
            UsageRetention = options?.UsageRetention ?? TimeSpan.FromDays(62),
            TimeProvider = options?.TimeProvider,
        };
    }

    private async ValueTask<T> RunAsync<TState, T>(TState state, Func<LedgerTransaction, TState, T> body, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Run(state, body, now);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Runs one operation in one <c>BEGIN IMMEDIATE</c> transaction. Caller has the turn.</summary>
    private T Run<TState, T>(TState state, Func<LedgerTransaction, TState, T> body, DateTimeOffset? now)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lost is { } what)
        {
            throw LostException(what);
        }

        var session = _session ??= Open();
        if (FileIdentity.HasMoved(session.Connection, FilePath))
        {
            throw Lost(File.Exists(FilePath) ? "was replaced by another file" : "was deleted or moved");
        }

        try
        {
            session.Execute("BEGIN IMMEDIATE");
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }

        try
        {
            var tx = new LedgerTransaction(session, (now ?? DateTimeOffset.MinValue).UtcTicks, _retentionTicks);
            var result = body(tx, state);
            tx.Flush();
            session.Execute("COMMIT");
            return result;
        }
        catch (SqliteException ex)
        {
            Rollback(session);
            throw Translate(ex);
        }
        catch
        {
            Rollback(session);
            throw;
        }
    }

    /// <summary>Opens a connection, checks the file, and makes or migrates its schema.</summary>
    private SqliteSession Open()
    {
        var exists = File.Exists(FilePath);
        if (_ledgerId is not null && !exists)
        {
            throw Lost("was deleted or moved");
        }

        if (exists && IsReadOnly(FilePath))
        {
            throw new SqliteLedgerFileException(FilePath, "the file is read-only");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = _ledgerId is null ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        }.ToString());
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(_options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};";
                pragma.ExecuteNonQuery();
            }

            var id = SqliteSchema.Ensure(connection, FilePath);
            if (_ledgerId is not null && _ledgerId != id)
            {
                connection.Dispose();
                throw Lost("was replaced by another ledger file");
            }

            _ledgerId = id;
            return new SqliteSession(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw ex.SqliteErrorCode switch
            {
                14 => new SqliteLedgerFileException(FilePath, "SQLite cannot open it (its directory may not exist, it may be a directory, or the process may lack permission)", ex),
                26 => new SqliteLedgerFileException(FilePath, "it is not a SQLite database (a file of another format, or encrypted)", ex),
                11 => new SqliteLedgerFileException(FilePath, "it is a corrupt SQLite database", ex),
                8 => new SqliteLedgerFileException(FilePath, "it is read-only (or its directory is, and WAL mode needs to make the -wal and -shm files beside it)", ex),
                3 or 23 => new SqliteLedgerFileException(FilePath, "the process lacks permission to write it", ex),
                _ => Translate(ex),
            };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool IsReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
        }

        // The file's write bits, even for a user (root) whom the file system would let write anyway.
        const UnixFileMode Writable = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        return (File.GetUnixFileMode(path) & Writable) == 0;
    }

    private LedgerDataLostException Lost(string what)
    {
        _lost = what;
        DropSession();
        return LostException(what);
    }

    private LedgerDataLostException LostException(string what)
        => new($"The AgentBill ledger file '{FilePath}' {what} while this process used it: budgets and usage may be gone. " +
               "Nothing is approved or charged until an operator restores the file and calls SqliteBudgetLedger.AcknowledgeDataLossAsync.");

    private Exception Translate(SqliteException ex)
    {
        DropSession();
        return ex.SqliteErrorCode switch
        {
            5 or 6 => new AgentBillUnavailableException($"The SQLite ledger '{FilePath}' stayed locked by another connection for longer than the busy timeout ({_options.BusyTimeout}).", ex),
            14 when _ledgerId is not null => Lost("can no longer be opened"),
            26 or 11 => new SqliteLedgerFileException(FilePath, "it is no longer a readable SQLite database (corrupt or overwritten)", ex),
            _ => new AgentBillUnavailableException($"The SQLite ledger '{FilePath}' failed: {ex.Message}", ex),
        };
    }

    private static void Rollback(SqliteSession session)
    {
        try
        {
            if (!session.Connection.State.HasFlag(System.Data.ConnectionState.Open))
            {
                return;
            }

            session.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // No transaction left to roll back (SQLite already did), or the connection is gone: the session is dropped.
        }
    }

    private void DropSession()
    {
        _session?.Dispose();
        _session = null;
    }

    private static string? Replayed(LedgerTransaction tx, in LedgerCall call, string prefix, string? fingerprint)
    {
        if (call.IdempotencyKey is not { } key || tx.Recall(call.CustomerId, prefix + key) is not { } entry)
        {
            return null;
        }

        return entry.Fingerprint == fingerprint ? entry.Outcome : throw new IdempotencyConflictException(key);
    }

    private static void Remember(LedgerTransaction tx, in LedgerCall call, string prefix, string? fingerprint, string outcome)
    {
        if (call.IdempotencyKey is { } key && fingerprint is not null)
        {
            tx.Remember(call.CustomerId, prefix + key, fingerprint, outcome, call.RememberUntil.UtcTicks);
        }
    }

    /// <summary>The refusing budget as it stands, with the first hold that may free it.</summary>
    private static BudgetRefusal Refusal(LedgerTransaction tx, in Applicable entry, string customerId, in PeriodKeys periods)
    {
        var counter = tx.CounterOf(entry, periods);
        return new BudgetRefusal(entry.Key, entry.Period, entry.Limit, counter.Used, counter.Reserved, tx.EarliestExpiry(customerId, entry.Key.Scope.Kind == BudgetScopeKind.Global));
    }

    private static long? Remaining(LedgerTransaction tx, List<Applicable> entries, in PeriodKeys periods)
    {
        long? tightest = null;
        foreach (var entry in entries)
        {
            tightest = BudgetRules.Tightest(tightest, tx.Available(entry, periods));
        }

        return tightest;
    }

    private static IReadOnlyList<BudgetAlert> Alerts(LedgerTransaction tx, List<Applicable> charged, in PeriodKeys periods, IReadOnlyList<int> thresholds)
    {
        List<BudgetAlert>? alerts = null;
        List<int>? crossed = null;
        foreach (var entry in charged)
        {
            var counter = tx.CounterOf(entry, periods);
            crossed ??= new(3);
            crossed.Clear();
            var highest = BudgetRules.CrossThresholds(counter.Used, entry.Limit, counter.Alerted, thresholds, crossed);
            if (highest != counter.Alerted)
            {
                counter.Alerted = highest;
                counter.Dirty = true;
            }

            foreach (var threshold in crossed)
            {
                (alerts ??= []).Add(new BudgetAlert(entry.Key, entry.PeriodKey, threshold, counter.Used, entry.Limit));
            }
        }

        return alerts is null ? Array.Empty<BudgetAlert>() : alerts;
    }
}
