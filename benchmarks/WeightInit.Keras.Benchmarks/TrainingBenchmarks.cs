using BenchmarkDotNet.Attributes;
using WeightInit.Keras.Experiments;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// One training epoch of the <c>compare</c> model on digits (64 → Dense(64, relu) → Dense(64, relu) →
/// Dense(10, softmax), Adam 0.001, batch 32, sparse categorical cross-entropy, loss and accuracy tracked): through
/// <see cref="Sequential.Fit"/> against <see cref="RawTrainingLoop"/>, the same math and batches in plain TorchSharp.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    /// <summary>Seeds the split, the initializers and the batch order, as <c>weightinit compare</c> does.</summary>
    private const int Seed = 42;
    private const int BatchSize = 32;
    private const double LearningRate = 0.001;
    private const double TestFraction = 0.2;
    private const double ValidationSplit = 0.2;

    private Tensor _x = null!;
    private Tensor _y = null!;
    private Sequential _model = null!;
    private RawTrainingLoop _raw = null!;

    /// <summary>
    /// Loads the rows <c>compare</c> fits on, builds both trainers from the same initial weights, and checks that one
    /// epoch of each leaves bit-identical weights before anything is timed.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var (train, _) = InitializerComparison.PrepareData("digits", TestFraction, Seed);
        long fitted = (long)Math.Ceiling(train.Count * (1.0 - ValidationSplit));
        using (var x = train.FeaturesTensor())
        using (var y = train.LabelsTensor())
        {
            _x = x.narrow(0, 0, fitted).clone();
            _y = y.narrow(0, 0, fitted).clone();
        }
        (_model, _raw) = BuildPair();
        var (checkModel, checkRaw) = BuildPair();
        var kerasLogs = checkModel.Fit(_x, _y, epochs: 1, batchSize: BatchSize, seed: Seed);
        var (loss, accuracy) = checkRaw.Epoch(_x, _y, BatchSize, Seed);
        var kerasWeights = checkModel.Weights;
        for (int i = 0; i < kerasWeights.Count; i++)
        {
            if (!kerasWeights[i].bytes.SequenceEqual(checkRaw.Weights[i].bytes))
            {
                throw new InvalidOperationException($"Weight {i} differs between Fit and the raw loop after one epoch.");
            }
        }
        if (kerasLogs["loss"][0] != loss || kerasLogs["accuracy"][0] != accuracy)
        {
            throw new InvalidOperationException(
                $"Fit reported loss {kerasLogs["loss"][0]}, accuracy {kerasLogs["accuracy"][0]}; the raw loop {loss}, {accuracy}.");
        }
    }

    /// <summary>One epoch through the Keras-shaped API.</summary>
    [Benchmark]
    public double KerasFit() => _model.Fit(_x, _y, epochs: 1, batchSize: BatchSize, seed: Seed)["loss"][0];

    /// <summary>One epoch of the hand-written loop.</summary>
    [Benchmark(Baseline = true)]
    public double RawLoop() => _raw.Epoch(_x, _y, BatchSize, Seed).Loss;

    private static (Sequential Model, RawTrainingLoop Raw) BuildPair()
    {
        KerasRandom.SetRandomSeed(Seed);
        var model = InitializerComparison.BuildModel(64, 10, "glorot_uniform");
        model.Compile(new Adam(LearningRate), "sparse_categorical_crossentropy", ["accuracy"]);
        return (model, new RawTrainingLoop(model.GetWeights(), LearningRate));
    }
}
