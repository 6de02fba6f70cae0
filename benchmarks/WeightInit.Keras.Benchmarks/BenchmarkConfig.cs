using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// A short job that stays practical on a shared 2-core machine: in process (no generated project to build), one
/// launch, one warm-up and five measured iterations; the median is reported next to the mean.
/// </summary>
public static class BenchmarkConfig
{
    /// <summary>The configuration every benchmark runs with.</summary>
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithId("Short"))
        .AddColumn(StatisticColumn.Median);
}
