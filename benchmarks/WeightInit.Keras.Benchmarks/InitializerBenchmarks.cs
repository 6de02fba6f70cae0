using BenchmarkDotNet.Attributes;
using WeightInit.Keras.Initializers;
using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// Each initializer's Keras-semantics fill against the raw engine sequence giving the same numbers (the baseline), and
/// a <c>zero_</c> of a preallocated tensor of the same shape as the memory-bandwidth floor. Float32 throughout.
/// </summary>
[MemoryDiagnoser]
public class InitializerBenchmarks
{
    private Initializer _initializer = null!;
    private Func<Tensor> _engine = null!;
    private long[] _shape = [];
    private Tensor _zeroTarget = null!;

    /// <summary>The initializer's Keras name.</summary>
    [ParamsSource(nameof(Initializers))]
    public string Initializer { get; set; } = "";

    /// <summary>The shape filled, dims joined by <c>x</c>.</summary>
    [Params("256x256", "4096x4096", "3x3x512x512")]
    public string Shape { get; set; } = "";

    /// <summary>The values of <see cref="Initializer"/>.</summary>
    public static IEnumerable<string> Initializers => EngineSequences.Names;

    /// <summary>Builds both fills and checks that they give the same bytes before anything is timed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _shape = EngineSequences.ParseShape(Shape);
        EngineSequences.RequireBitIdentical(Initializer, _shape);
        _initializer = EngineSequences.Create(Initializer);
        _engine = EngineSequences.For(Initializer, _shape);
        _zeroTarget = ones(_shape);
    }

    /// <summary>Frees the preallocated tensor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _zeroTarget.Dispose();

    /// <summary>The raw TorchSharp calls Keras's torch backend makes.</summary>
    [Benchmark(Baseline = true)]
    public void EngineSequence()
    {
        using var t = _engine();
    }

    /// <summary>The library's initializer, as a Dense layer calls it.</summary>
    [Benchmark]
    public void KerasFill()
    {
        using var t = _initializer.Call(_shape);
    }

    /// <summary><c>zero_</c> of a tensor of the same shape, allocated once: the bandwidth floor.</summary>
    [Benchmark]
    public void ZeroFill() => _zeroTarget.zero_();
}
