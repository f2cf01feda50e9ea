using AgentBill.Cli.Hosting;

return await CliApp.RunAsync(args, CliHost.FromProcess()).ConfigureAwait(false);
