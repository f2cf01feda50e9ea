using AgentBill.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short jobs keep the whole suite (bench/run.sh) under ten minutes on two cores; every figure is read as a
// ratio to a baseline measured in the same run, so machine speed and noise cancel out.
if (args is ["--probe", ..])
{
    Probe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

var config = ManualConfig.CreateMinimumViable()
    .AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(8))
    // Building each benchmark project can take minutes on two busy cores: the default two-minute limit fails the run.
    .WithBuildTimeout(TimeSpan.FromMinutes(10))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToList();
Console.WriteLine(TargetReport.Of(summaries));
