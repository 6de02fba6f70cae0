using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(WeightInit.Benchmarks.TensorFlowFillBenchmarks).Assembly).Run(args);
