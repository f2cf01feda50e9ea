using AgentBill.Sqlite;

namespace AgentBill.Sqlite.Tests;

/// <summary>Ledger files in the temp directory, deleted (with their -wal and -shm files) when the test ends.</summary>
internal sealed class TempLedgerFiles : IDisposable
{
    private readonly List<string> _paths = [];
    private readonly List<SqliteBudgetLedger> _ledgers = [];

    public string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "agentbill-test-" + Guid.NewGuid().ToString("N") + ".db");
        _paths.Add(path);
        return path;
    }

    public SqliteBudgetLedger Open(string? path = null, SqliteLedgerOptions? options = null)
    {
        var ledger = new SqliteBudgetLedger(path ?? NewPath(), options ?? new SqliteLedgerOptions { Synchronous = SqliteSynchronous.Normal });
        _ledgers.Add(ledger);
        return ledger;
    }

    public void Dispose()
    {
        foreach (var ledger in _ledgers)
        {
            ledger.Dispose();
        }

        foreach (var path in _paths)
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                if (File.Exists(file))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                    File.Delete(file);
                }
            }
        }
    }
}
