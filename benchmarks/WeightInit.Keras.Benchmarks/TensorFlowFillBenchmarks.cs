using BenchmarkDotNet.Attributes;
using WeightInit.Keras.Random;
using WeightInit.Keras.Random.TensorFlow;
using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// One float32 fill of a 1024×1024 tensor: Keras's TensorFlow-backend draw (managed Philox, all cores, SIMD for the
/// integer stream), Keras's torch-backend draw (libtorch's CPU generator) and, as the floor, a zero fill. In
/// process, because libtorch's native files sit beside this project's own output.
/// Run: <c>dotnet run -c Release --project benchmarks/WeightInit.Keras.Benchmarks -- --filter '*TensorFlowFill*'</c>.
/// </summary>
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
[MemoryDiagnoser]
public class TensorFlowFillBenchmarks
{
    private const long Seed = 42;
    private static readonly long[] Shape = [1024, 1024];

    [Benchmark(Baseline = true)]
    public void Zero()
    {
        using var t = empty(Shape, ScalarType.Float32).zero_();
    }

    [Benchmark]
    public void UniformTensorFlow()
    {
        using var t = TensorFlowBackend.Uniform(Shape, -0.05, 0.05, ScalarType.Float32, Seed);
    }

    [Benchmark]
    public void UniformTorch()
    {
        using var t = TorchBackend.Uniform(Shape, -0.05, 0.05, ScalarType.Float32, Seed);
    }

    [Benchmark]
    public void NormalTensorFlow()
    {
        using var t = TensorFlowBackend.Normal(Shape, 0.0, 0.05, ScalarType.Float32, Seed);
    }

    [Benchmark]
    public void NormalTorch()
    {
        using var t = TorchBackend.Normal(Shape, 0.0, 0.05, ScalarType.Float32, Seed);
    }

    [Benchmark]
    public void TruncatedNormalTensorFlow()
    {
        using var t = TensorFlowBackend.TruncatedNormal(Shape, 0.0, 0.05, ScalarType.Float32, Seed);
    }

    [Benchmark]
    public void TruncatedNormalTorch()
    {
        using var t = TorchBackend.TruncatedNormal(Shape, 0.0, 0.05, ScalarType.Float32, Seed);
    }
}
