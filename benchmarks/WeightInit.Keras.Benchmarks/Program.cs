using System.Globalization;
using BenchmarkDotNet.Running;
using WeightInit.Keras.Benchmarks;

// Four modes: BenchmarkDotNet (default; pass its arguments, e.g. --filter '*InitializerBenchmarks*'), --paired
// (alternating baseline/Keras timing on one engine thread), --memory (peak memory per fill, each in a child process)
// and the memory child itself.
if (args.Length >= 3 && args[0] == MemoryMode.ChildFlag)
{
    return MemoryMode.Child(args[1], double.Parse(args[2], CultureInfo.InvariantCulture));
}
if (args.Length >= 1 && args[0] == "--memory")
{
    return MemoryMode.Run(args[1..]);
}
if (args.Length >= 1 && args[0] == "--paired")
{
    return PairedMode.Run(args[1..]);
}
var summaries = BenchmarkSwitcher.FromTypes([typeof(InitializerBenchmarks), typeof(TrainingBenchmarks), typeof(TensorFlowFillBenchmarks)])
    .Run(args, BenchmarkConfig.Create());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
