using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>
/// A real PostgreSQL server this test run creates (initdb) in a temporary folder, starts on a free loopback port,
/// and stops. <c>pg_ctl start -w</c> returns once the server accepts connections, so nothing waits on the clock for
/// it. Its user is <c>agentbill</c>, trusted without a password: the server listens on 127.0.0.1 only.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root. When the tests run as root (containers, CI), every PostgreSQL command
/// runs as the <c>postgres</c> OS user (made by Debian's <c>postgresql</c> package) through <c>runuser</c>, and the
/// folder is handed to that user.
/// </remarks>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "agentbill";

    /// <summary>How long one PostgreSQL command may run: a bound on a hung command, not a wait for readiness.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private static readonly bool AsRoot = Environment.UserName == "root";

    private readonly string _binDirectory;

    private PostgresServer(string binDirectory, int port, string directory)
    {
        _binDirectory = binDirectory;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    /// <summary>The temporary folder: the data directory, the server's log and its Unix socket.</summary>
    public string Directory { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>Creates a new cluster in a temporary folder and starts it.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = FindBinDirectory();
        var directory = System.IO.Directory.CreateTempSubdirectory("agentbill-pg-").FullName;
        var server = new PostgresServer(binDirectory, FreePort(), directory);
        try
        {
            if (AsRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", directory], directory);
            }

            await server.InitAsync();
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database = "postgres")
        => $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>Creates an empty database with a name of its own, so that tests sharing a server never see each other's tables.</summary>
    /// <returns>The new database's connection string.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "agentbill_" + Guid.NewGuid().ToString("N");

        // Unpooled: after a crash and restart, a pooled connection to the old server would be a broken one.
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>
    /// Stops the server as a crash would (<c>-m immediate</c>: no checkpoint, clients cut off); what was committed is
    /// in the write-ahead log only. Connections open at that moment, pooled ones too, are broken.
    /// </summary>
    public Task KillAsync() => PgCtlAsync("stop", "-m", "immediate", "-w");

    /// <summary>Starts the server again on the same port and data directory; it runs crash recovery first.</summary>
    public Task StartAgainAsync() => StartServerAsync();

    public async ValueTask DisposeAsync()
    {
        // postmaster.pid is there while a server runs on the folder (a stop or a crash of the server removes it).
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await KillAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A folder still in use is left to the system's temporary-file cleanup.
        }
    }

    private async Task InitAsync()
    {
        string[] common = ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8"];
        try
        {
            await RunPgAsync("initdb", [.. common, "--locale=C.UTF-8"]);
        }
        catch (InvalidOperationException first)
        {
            // A machine without the C.UTF-8 locale (older glibc): the plain C locale always exists. initdb removes
            // the data directory it made when it fails.
            try
            {
                await RunPgAsync("initdb", [.. common, "--locale=C"]);
            }
            catch (InvalidOperationException second)
            {
                throw new InvalidOperationException($"{second.Message}\nBefore that, with --locale=C.UTF-8: {first.Message}", second);
            }
        }
    }

    private Task StartServerAsync()
    {
        var options = string.Join(
            ' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", "'" + Directory + "'",
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=on",
            "-c", "max_connections=300",
            "-c", "shared_buffers=64MB");
        return PgCtlAsync("-l", LogFile, "-o", options, "-w", "start");
    }

    private Task PgCtlAsync(params string[] arguments) => RunPgAsync("pg_ctl", ["-D", DataDirectory, .. arguments]);

    private async Task RunPgAsync(string tool, string[] arguments)
    {
        var program = Path.Combine(_binDirectory, tool);
        try
        {
            if (AsRoot)
            {
                await RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], Directory);
            }
            else
            {
                await RunAsync(program, arguments, Directory);
            }
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException(exception.Message + LogTail(), exception);
        }
    }

    /// <summary>Runs a command to its end; a failure says what the command printed.</summary>
    private static async Task RunAsync(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // The postgres user may not enter the caller's working directory (/root, say).
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = program + " " + string.Join(' ', arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{commandLine} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{commandLine} failed with exit code {process.ExitCode}:\n{await output}{await error}");
        }
    }

    /// <summary>The end of the server's log, where a failed start says why.</summary>
    private string LogTail()
    {
        try
        {
            if (!File.Exists(LogFile))
            {
                return "";
            }

            var lines = File.ReadAllLines(LogFile);
            var builder = new StringBuilder("\nServer log (").Append(LogFile).Append("), last lines:\n");
            foreach (var line in lines.Skip(Math.Max(0, lines.Length - 40)))
            {
                builder.AppendLine(line);
            }

            return builder.ToString();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"\nServer log unreadable: {exception.Message}";
        }
    }

    /// <summary>
    /// AGENTBILL_PG_BIN when set; else PostgreSQL 15's programs, the version the store is tested on; else the highest
    /// version Debian's packages installed.
    /// </summary>
    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("AGENTBILL_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var preferred = Path.Combine(root, "15", "bin");
        if (File.Exists(Path.Combine(preferred, "initdb")))
        {
            return preferred;
        }

        var highest = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(version => (Version: int.TryParse(Path.GetFileName(version), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1, Bin: Path.Combine(version, "bin")))
                .Where(candidate => candidate.Version >= 0 && File.Exists(Path.Combine(candidate.Bin, "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault()
            : null;
        return highest ?? throw new InvalidOperationException(
            $"No PostgreSQL server programs in {root}/*/bin: install Debian's postgresql package (test.sh does) or set AGENTBILL_PG_BIN to the folder holding initdb and pg_ctl.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
