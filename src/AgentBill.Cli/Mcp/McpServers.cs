using System.Net;
using AgentBill.Cli.Hosting;
using AgentBill.Cli.Output;
using AgentBill.Cli.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace AgentBill.Cli.Mcp;

/// <summary>Hosts <see cref="BudgetTools"/> over stdio or over streamable HTTP on loopback.</summary>
internal static class McpServers
{
    private static readonly Implementation ServerInfo = new() { Name = "agentbill", Version = typeof(McpServers).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };

    public static async Task RunStdioAsync(StoreSession session, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // stdout carries the protocol: logs go to stderr, warnings and worse only.
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(session);
        builder.Services.AddMcpServer(options => options.ServerInfo = ServerInfo)
            .WithStdioServerTransport()
            .WithTools<BudgetTools>(CliJson.Options);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task RunHttpAsync(StoreSession session, int port, CliHost cli, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        // Loopback only: the server has no authentication of its own.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(session);
        builder.Services.AddMcpServer(options => options.ServerInfo = ServerInfo)
            .WithHttpTransport()
            .WithTools<BudgetTools>(CliJson.Options);
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await cli.Error.WriteLineAsync($"agentbill mcp: serving http://127.0.0.1:{port}/mcp (Ctrl+C stops)").ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }
}
