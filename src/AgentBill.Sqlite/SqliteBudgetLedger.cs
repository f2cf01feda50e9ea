using AgentBill.Ledger;
using AgentBill.SqlLedger;
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

    /// <summary>The reports' clock: what the expired-hold sweep calls now, and when activity is read.</summary>
    private DateTimeOffset ReportsNow() => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();

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

    private async ValueTask<T> RunAsync<TState, T>(TState state, Func<LedgerTransaction, TState, ValueTask<T>> body, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(state, body, now).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Runs one operation in one <c>BEGIN IMMEDIATE</c> transaction. Caller has the turn.</summary>
    private async ValueTask<T> RunAsync<TState, T>(TState state, Func<LedgerTransaction, TState, ValueTask<T>> body, DateTimeOffset? now)
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
            // The call's own clock decides: every process of a file runs on the same machine's.
            var ticks = (now ?? DateTimeOffset.MinValue).UtcTicks;
            var tx = new LedgerTransaction(session, ticks, ticks, storeClockSkew: null, _retentionTicks);
            var result = await body(tx, state).ConfigureAwait(false);
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
}
