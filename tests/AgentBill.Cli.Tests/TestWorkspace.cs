using AgentBill.Cli.Hosting;
using AgentBill.Ledger;
using AgentBill.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AgentBill.Cli.Tests;

/// <summary>
/// A temporary folder with a SQLite ledger path and the tool's home, and the tool run in-process against it: its
/// console, output and environment are the test's.
/// </summary>
internal sealed class TestWorkspace : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public TestWorkspace()
    {
        Folder = Directory.CreateTempSubdirectory("agentbill-cli-").FullName;
        Home = Path.Combine(Folder, "home");
        LedgerPath = Path.Combine(Folder, "ledger.db");
    }

    public string Folder { get; }

    public string Home { get; }

    public string LedgerPath { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Runs one command line in-process, with this workspace's home and environment.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var console = new StringWriter();
        var host = new CliHost
        {
            Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(console),
            }),
            Out = output,
            Error = error,
            Environment = name => name == "AGENTBILL_HOME" ? Home : Environment.GetValueOrDefault(name),
            Interactive = false,
            ConfigureServices = ConfigureServices,
        };
        var code = await CliApp.RunAsync(args, host, cancellationToken: TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString(), console.ToString());
    }

    /// <summary>Runs a command line against this workspace's SQLite ledger.</summary>
    public Task<CliRun> SqliteAsync(params string[] args) => RunAsync([.. args, "--sqlite", LedgerPath]);

    /// <summary>A client over the same SQLite file, to act as an application would and to check what the tool did.</summary>
    public AgentBillClient Client(TimeProvider? time = null)
    {
        var ledger = new SqliteBudgetLedger(LedgerPath, new SqliteLedgerOptions { Synchronous = SqliteSynchronous.Normal });
        var client = new AgentBillClient(ledger, new AgentBillOptions(), time);
        _owned.Add(client);
        _owned.Add(ledger);
        return client;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held is left to the system's temporary-file cleanup.
        }
    }
}
