using System.Diagnostics;
using AgentBill.Testing;

namespace AgentBill.Sqlite.Tests;

/// <summary>Starts this store's test worker as a separate OS process.</summary>
internal static class WorkerProcess
{
    public static Process Start(params string[] arguments) => WorkerProcesses.Start("AgentBill.Sqlite.Tests.Worker", arguments);
}
