using System.Diagnostics;

namespace AgentBill.Generators.Tests;

/// <summary>
/// What a user does: pack AgentBill, make a fresh console project that references only the package, build it
/// and run it. The package must bring the generator, the analyzers and the interceptor settings by itself.
/// </summary>
public sealed class ConsumerTests
{
    private const string Program = """
        using AgentBill;

        await using var bill = new AgentBillClient(options: new AgentBillOptions { Ceiling = 50 });
        AgentBillGate.DefaultClient = bill;
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));

        try
        {
            await Agent.HugeAsync("acme");
            Console.WriteLine("huge: ran");
        }
        catch (CeilingExceededException)
        {
            Console.WriteLine("huge: refused by ceiling");
        }

        Console.WriteLine("small: " + await Agent.SmallAsync("acme"));
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("acme"));
        Console.WriteLine($"used: {usage.Used}");

        static class Agent
        {
            [Gate("consumer", EstimatedUnits = 80)]
            public static Task<string> HugeAsync([CustomerId] string customer) => Task.FromResult("never");

            [Gate("consumer", EstimatedUnits = 10)]
            public static async Task<string> SmallAsync([CustomerId] string customer)
            {
                await Task.Yield();
                GateUsage.Report(7);
                return "done";
            }
        }
        """;

    [Fact]
    public async Task A_fresh_project_that_references_only_the_package_gates_its_calls()
    {
        var work = Directory.CreateTempSubdirectory("agentbill-consumer-");
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            // Packed as built: the restore below goes to a folder of this test's own, so nothing reaches the machine's cache.
            await Dotnet(RepositoryRoot(), "pack", Path.Combine("src", "AgentBill", "AgentBill.csproj"), "-c", "Release", "-o", feed);
            var version = typeof(AgentBillClient).Assembly.GetName().Version!.ToString(3);

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            // The repository's build settings must not leak into the user's project.
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Build.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Packages.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(app, "NuGet.config"), $"""
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                  <fallbackPackageFolders>
                    <add key="machine" value="{Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")}" />
                  </fallbackPackageFolders>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <RestorePackagesPath>{Path.Combine(work.FullName, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AgentBill" Version="{version}" />
                    <PackageReference Include="Microsoft.Extensions.AI.Abstractions" Version="{typeof(Microsoft.Extensions.AI.IChatClient).Assembly.GetName().Version!.ToString(3)}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Program);
            await File.WriteAllTextAsync(Path.Combine(app, "Ungated.cs"), """
                using Microsoft.Extensions.AI;

                static class Ungated
                {
                    public static Task<ChatResponse> AskAsync(IChatClient chat) => chat.GetResponseAsync("hi");
                }
                """);

            var output = await Dotnet(app, "run", "-c", "Release");

            Assert.Contains("huge: refused by ceiling", output, StringComparison.Ordinal);
            Assert.Contains("small: done", output, StringComparison.Ordinal);
            Assert.Contains("used: 7", output, StringComparison.Ordinal);
            Assert.Matches(@"Ungated\.cs\(5,\d+\): warning AGB0001", output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_quick_start_publishes_natively_without_trim_or_aot_warnings_and_runs()
    {
        var output = Directory.CreateTempSubdirectory("agentbill-aot-");
        try
        {
            var log = await Dotnet(RepositoryRoot(), "publish", Path.Combine("samples", "QuickStart", "QuickStart.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output.FullName);
            var run = await Run(Path.Combine(output.FullName, "QuickStart"), output.FullName);

            Assert.DoesNotMatch(@"warning (IL|AOT)\d+", log);
            Assert.Contains("bob: refused (CeilingExceeded), estimate 80 > ceiling 50", run, StringComparison.Ordinal);
            Assert.Contains("alice  m:", run, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static Task<string> Dotnet(string directory, params string[] arguments) => Run("dotnet", directory, arguments);

    private static async Task<string> Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
