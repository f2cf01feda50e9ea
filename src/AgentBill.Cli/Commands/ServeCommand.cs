using System.CommandLine;
using AgentBill.Cli.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentBill.Cli.Commands;

/// <summary><c>agentbill serve</c>: the AgentBill budget server (the SDKs' HTTP protocol) over the chosen store, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliRunner runner)
    {
        var address = new Option<string>("--address") { Description = "The address to listen on; anything but loopback needs --public.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The TCP port (0 picks a free one).", DefaultValueFactory = _ => 8787 };
        var isPublic = new Option<bool>("--public") { Description = "Allow an address other machines can reach." };
        var cert = new Option<string?>("--cert") { Description = "A PFX certificate file to serve HTTPS with." };
        var certPassword = new Option<string?>("--cert-password") { Description = "The password of --cert." };
        var rateLimit = new Option<int>("--key-rate-limit") { Description = "Requests per API key per minute, shared by every server on a Redis store; 0 turns it off.", DefaultValueFactory = _ => 6000 };
        rateLimit.InRange(value => value >= 0, "must be 0 or more");
        port.InRange(value => value is >= 0 and <= 65535, "must be from 0 to 65535");
        var command = new Command("serve", "Runs the AgentBill budget server (the Python and Node SDKs' HTTP protocol) over the chosen store.")
        {
            address, port, isPublic, cert, certPassword, rateLimit,
        };
        runner.SetStoreAction(command, async (parse, store, cancellationToken) =>
        {
            await using var app = AgentBillServerApp.Create(
                store.Register,
                options =>
                {
                    options.Address = parse.GetValue(address)!;
                    options.Port = parse.GetValue(port);
                    options.AllowPublicBind = parse.GetValue(isPublic);
                    options.CertificatePath = parse.GetValue(cert);
                    options.CertificatePassword = parse.GetValue(certPassword);
                    options.KeyRateLimit = parse.GetValue(rateLimit);
                },
                static host => host.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var url in app.Urls)
            {
                await runner.Host.Error.WriteLineAsync($"agentbill serve: listening on {url} (Ctrl+C stops)").ConfigureAwait(false);
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
