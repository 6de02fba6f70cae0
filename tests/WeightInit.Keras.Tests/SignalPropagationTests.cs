using WeightInit.Keras.Diagnostics;
using WeightInit.Keras.Models;

namespace WeightInit.Keras.Tests;

/// <summary>
/// What theory predicts for the spread of activations through a freshly initialized deep MLP, checked on
/// <see cref="SignalPropagation"/>. Every network has zero biases and equal widths, and the input is standard normal.
/// </summary>
/// <remarks>
/// <para>
/// <b>The finite-width tolerance (ReLU).</b> Let q_l be the second moment of layer l's output over the batch and the
/// units (<c>std² + mean²</c>, the quantity He et al. follow). Given the previous layer, the pre-activations of unit j
/// for sample b are z = h_b·w_j with E[z²] = n·Var(W)·q_b, and the n units use independent columns w_j. Because W is
/// symmetric, z is too, so E[relu(z)²] = E[z²]/2 exactly: E[q_{l+1} | h] = (n·Var(W)/2)·q_l, the factor g = 1 for
/// he_normal and ½ for glorot_uniform at equal widths. For one sample, relu(z)² has mean E[z²]/2 and second moment
/// E[z⁴]/2, so its relative variance is 2·E[z⁴]/(E[z²])² − 1. That is at most 2·3 − 1 = 5 when z's excess kurtosis is
/// ≤ 0, which holds because z sums independent terms whose kurtosis is W's (normal: 0; truncated normal: −0.63;
/// uniform: −1.2). Averaging over the n units leaves a relative variance ≤ 5/n. The batch value q_{l+1}/q_l is a
/// weighted mean of the per-sample ratios (weights q_b/Σq_b), whose variance cannot exceed the largest of theirs, so
/// it too has relative variance ≤ 5/n.
/// </para>
/// <para>
/// Hence ln(q_l/q_0) − l·ln g is a sum of l nearly independent steps, each with SD ≤ √(5/n) and mean in
/// [−(5/n)/2, 0] (E[ln r] ≈ −Var(r)/2 for E[r] = 1): after l layers it lies in
/// [−l·(5/n)/2 − Z·√(l·5/n), Z·√(l·5/n)]. The band widens as √l, the way finite-width fluctuations accumulate with depth.
/// For n = 256 and l = 30 it is [−4.12, 3.83] in ln (a factor of about 50 either way), against −20.8 for halving per
/// layer: it tells the two initializers apart from layer 2 on, and a per-layer bias of 14% or more over 30 layers
/// leaves it. The bound does not depend on the batch size, so a small batch keeps the tests fast.
/// </para>
/// </remarks>
[TestOf(typeof(SignalPropagation))]
[NonParallelizable]
public class SignalPropagationTests
{
    /// <summary>Two-sided z for each statistical assertion (false alarm about 6×10⁻⁷, see STYLE §5).</summary>
    private const double Z = 5.0;

    /// <summary>Upper bound on n·Var(q_{l+1}/q_l | layer l) for ReLU with symmetric weights of excess kurtosis ≤ 0.</summary>
    private const double ReluStepVarianceTimesWidth = 5.0;

    /// <summary>Var(selu(g)²) for g ~ N(0, 1): E[selu⁴] = 2.50314 minus E[selu²]² = 1 (Simpson's rule on [−12, 12], 2·10⁵ steps).</summary>
    private const double SeluSquareVariance = 1.50314;

    /// <summary>d/dq E[selu(√q·g)²] at the fixed point q = 1 (same integration, central difference): how fast a deviation of q decays per layer.</summary>
    private const double SeluContraction = 0.78265;

    private const int Seed = 1234;
    private const int ReadoutSeed = 99;
    private const int Width = 256;
    private const int Depth = 30;
    private const int Batch = 64;

    /// <summary>float32 unit roundoff, 2⁻²⁴.</summary>
    private const double Float32UnitRoundoff = 5.9604644775390625e-8;

    [Test]
    public void Measure_ReluHeNormal_SecondMomentStaysWithinFiniteWidthBand()
    {
        var result = Run("relu", "he_normal");

        double q0 = InputSecondMoment(result);
        for (int l = 1; l <= Depth; l++)
        {
            double logRatio = Math.Log(SecondMoment(result.Layers[l - 1]) / q0);
            var (low, high) = ReluBand(l, Width);
            Assert.That(logRatio, Is.InRange(low, high), $"layer {l}, seed={Seed}, z={Z}");
        }
        var (_, halvingHigh) = ReluBand(Depth, Width);
        double lastLog = Math.Log(SecondMoment(result.Layers[^1]) / q0);
        Assert.That(lastLog + Depth * Math.Log(2), Is.GreaterThan(halvingHigh),
            "the band must reject halving per layer, or the test could not tell He from Glorot");
    }

    [Test]
    public void Measure_ReluGlorotUniformEqualWidths_SecondMomentHalvesPerLayer()
    {
        var result = Run("relu", "glorot_uniform");

        // Equal widths: Var(W) = 2/(n + n) = 1/n, so each layer multiplies q by n·Var(W)/2 = 1/2.
        double q0 = InputSecondMoment(result);
        for (int l = 1; l <= Depth; l++)
        {
            double logRatio = Math.Log(SecondMoment(result.Layers[l - 1]) / q0) + l * Math.Log(2);
            var (low, high) = ReluBand(l, Width);
            Assert.That(logRatio, Is.InRange(low, high), $"layer {l}, seed={Seed}, z={Z}");
        }
        // The same band spread over the layers: the geometric-mean factor per layer.
        double perLayer = Math.Exp(Math.Log(SecondMoment(result.Layers[^1]) / q0) / Depth);
        var (lastLow, lastHigh) = ReluBand(Depth, Width);
        Assert.That(perLayer, Is.InRange(0.5 * Math.Exp(lastLow / Depth), 0.5 * Math.Exp(lastHigh / Depth)));
    }

    [Test]
    public void Measure_SeluLecunNormal_SecondMomentStaysNearOne()
    {
        var result = Run("selu", "lecun_normal");

        // Klambauer et al.: with Var(W) = 1/n, SELU maps q = 1 to 1 and a deviation d to about 0.78·d. Each layer adds
        // noise of variance ≤ Var(selu(g)²)/n (the argument of the class remarks with selu for relu), so the deviation is
        // an AR(1) process whose variance stays below Var(selu²)/(n·(1 − 0.78²)): SD 0.123 for n = 256. The input's own
        // deviation from 1 decays and is added in full.
        double stationarySd = Math.Sqrt(SeluSquareVariance / (Width * (1 - SeluContraction * SeluContraction)));
        double tolerance = Math.Abs(InputSecondMoment(result) - 1) + Z * stationarySd;
        foreach (var layer in result.Layers)
        {
            Assert.That(SecondMoment(layer), Is.EqualTo(1.0).Within(tolerance), $"layer {layer.Layer}, seed={Seed}, z={Z}");
        }
        Assert.That(result.FirstNonFiniteActivationLayer, Is.Null);
    }

    [TestCase("relu", 0.0)]
    [TestCase("tanh", 0.0)]
    [TestCase("sigmoid", 0.5)]
    [TestCase("selu", 0.0)]
    [TestCase("linear", 0.0)]
    public void Measure_Zeros_SignalIsExactlyConstantFromTheFirstLayer(string activation, double activationAtZero)
    {
        const int depth = 5, width = 16, batch = 32;
        var model = SignalPropagation.BuildMlp(width, depth, width, activation, "zeros", Seed);
        using var x = SignalPropagation.StandardNormalInput(batch, width, Seed);

        var result = SignalPropagation.Measure(model, x, ReadoutSeed);

        Assert.That(result.InputStd, Is.GreaterThan(0.5));
        foreach (var layer in result.Layers)
        {
            // Every unit computes activation(0·x + 0): one constant, so no spread at all, exactly.
            Assert.That(layer.ActivationStd, Is.Zero, $"layer {layer.Layer}");
            Assert.That(layer.ActivationMean, Is.EqualTo(activationAtZero), $"layer {layer.Layer}");
            // The gradient reaching a layer's input passes through its zero kernel.
            Assert.That(layer.InputGradientStd, Is.Zero, $"layer {layer.Layer}");
        }
        // Below the last layer the gradient arriving at each kernel is already zero; only the last kernel can see the
        // readout (for sigmoid, whose derivative and value at 0 are not 0).
        Assert.That(result.Layers.SkipLast(1).Select(l => l.WeightGradientStd), Is.All.EqualTo(0.0));
    }

    [Test]
    public void Measure_OnesWithRelu_GrowsByTheWidthUntilFloat32OverflowAndReportsIt()
    {
        const int depth = 30, width = 64, batch = 64;
        var model = SignalPropagation.BuildMlp(width, depth, width, "relu", "ones", Seed);
        using var x = SignalPropagation.StandardNormalInput(batch, width, Seed);
        double firstLayerMax;
        using (var first = model.Layers[0].Call(x))
        {
            firstLayerMax = first.max().item<float>();
        }

        var result = SignalPropagation.Measure(model, x, ReadoutSeed);

        // With an all-ones kernel every unit of a row holds the row's sum, so from layer 2 on each layer multiplies every
        // value by exactly n, up to float32 summation error (at most about n·u per element, which moves a std ratio by
        // at most that much times rms/std ≈ 1.2 for ReLU outputs; allow 4·n·u).
        double ratioTolerance = 4 * width * Float32UnitRoundoff;
        // The largest value first exceeds float32's range at the first l with max₁·n^(l−1) > float.MaxValue.
        double exponent = Math.Log(float.MaxValue / firstLayerMax) / Math.Log(width);
        int predictedOverflow = 1 + (int)Math.Floor(exponent) + 1;
        Assert.That(exponent - Math.Floor(exponent), Is.GreaterThan(1e-3),
            "the prediction is only exact away from the boundary; choose another seed");
        Assert.That(result.FirstNonFiniteActivationLayer, Is.EqualTo(predictedOverflow));
        for (int l = 2; l < predictedOverflow; l++)
        {
            double ratio = result.Layers[l - 1].ActivationStd / result.Layers[l - 2].ActivationStd;
            Assert.That(ratio, Is.EqualTo(width).Within(ratioTolerance * width), $"layer {l}");
        }
        Assert.That(result.Layers.Skip(predictedOverflow - 1).Select(l => l.ActivationStd), Is.All.EqualTo(double.PositiveInfinity));
        Assert.That(result.FirstNonFiniteGradientLayer, Is.EqualTo(1), "the gradient overflows on its way down as well");
        Assert.That(double.IsFinite(result.Layers[0].ActivationStd), Is.True);
    }

    [Test]
    public void Measure_TwoLayers_MatchesHandComputedGradients()
    {
        var model = new Sequential(new InputLayer(4), new Dense(5, "tanh", biasInitializer: "random_normal"), new Dense(3));
        using var x = SignalPropagation.StandardNormalInput(7, 4, Seed);

        var result = SignalPropagation.Measure(model, x, ReadoutSeed);

        // The documented readout: standard normals shaped like the output, from a generator seeded with readoutSeed.
        using var scope = NewDisposeScope();
        using var generator = new Generator(ReadoutSeed, CPU);
        var r = empty([7, 3]).normal_(0, 1, generator).to_type(ScalarType.Float64);
        var (w1, b1, w2, b2) = (D(model.Weights[0]), D(model.Weights[1]), D(model.Weights[2]), D(model.Weights[3]));
        var x64 = D(x);
        var h1 = x64.matmul(w1).add(b1).tanh();
        var y = h1.matmul(w2).add(b2);
        var gradInput2 = r.matmul(w2.t());
        var delta1 = gradInput2.mul(h1.square().neg().add(1));
        // float32 forward and backward against the same algebra in float64: relative error ~1e-7 per operation.
        const double Relative = 1e-5;
        Assert.That(result.Loss, Is.EqualTo(y.mul(r).sum().item<double>()).Within(Relative * y.mul(r).abs().sum().item<double>()), "loss");
        AssertClose(result.Layers[0].ActivationStd, PopulationStd(h1), Relative, "h1 std");
        AssertClose(result.Layers[0].ActivationMean, h1.mean().item<double>(), Relative, "h1 mean");
        AssertClose(result.Layers[1].ActivationStd, PopulationStd(y), Relative, "y std");
        AssertClose(result.Layers[1].InputGradientStd, PopulationStd(gradInput2), Relative, "dL/dh1");
        AssertClose(result.Layers[1].WeightGradientStd!.Value, PopulationStd(h1.t().matmul(r)), Relative, "dL/dW2");
        AssertClose(result.Layers[0].InputGradientStd, PopulationStd(delta1.matmul(w1.t())), Relative, "dL/dx");
        AssertClose(result.Layers[0].WeightGradientStd!.Value, PopulationStd(x64.t().matmul(delta1)), Relative, "dL/dW1");
        Assert.That(model.Weights.Select(w => w.grad), Is.All.Null, "Measure must not write the variables' .grad");
        Assert.That(x.requires_grad, Is.False);
    }

    [Test]
    public void Measure_InputOfWrongWidth_ThrowsNamingShapes()
    {
        var model = SignalPropagation.BuildMlp(4, 2, 3, "relu", "he_normal", Seed);
        using var x = zeros(8, 5);

        var e = Assert.Throws<ArgumentException>(() => SignalPropagation.Measure(model, x));

        Assert.That(e.ParamName, Is.EqualTo("inputs"));
        Assert.That(e.Message, Does.Contain("(8, 5)").And.Contain("batch >= 1, 4"));
    }

    [Test]
    public void Measure_Float64Input_ThrowsNamingDtype()
    {
        var model = SignalPropagation.BuildMlp(4, 2, 3, "relu", "he_normal", Seed);
        using var x = zeros([8, 4], ScalarType.Float64);

        var e = Assert.Throws<ArgumentException>(() => SignalPropagation.Measure(model, x));

        Assert.That(e.ParamName, Is.EqualTo("inputs"));
        Assert.That(e.Message, Does.Contain("float32").And.Contain("Float64"));
    }

    [Test]
    public void BuildMlp_Seeded_BuildsDepthDenseLayersWithEqualKernelsForEqualSeeds()
    {
        var a = SignalPropagation.BuildMlp(6, 3, 4, "tanh", "he_uniform", Seed);
        var b = SignalPropagation.BuildMlp(6, 3, 4, "tanh", "he_uniform", Seed);

        Assert.That(a.Layers, Has.Count.EqualTo(3).And.All.InstanceOf<Dense>());
        var dense = a.Layers.Cast<Dense>().ToList();
        Assert.That(dense.Select(d => d.Kernel!.shape), Is.EqualTo(new[] { new long[] { 6, 4 }, [4, 4], [4, 4] }));
        Assert.That(dense.Select(d => d.Activation), Is.All.EqualTo("tanh"));
        Assert.That(dense.Select(d => d.Bias!.abs().sum().item<float>()), Is.All.Zero);
        for (int i = 0; i < a.Weights.Count; i++)
        {
            Assert.That(a.Weights[i].data<float>().ToArray(), Is.EqualTo(b.Weights[i].data<float>().ToArray()), $"weight {i}");
        }
        Assert.That(dense[1].Kernel!.data<float>().ToArray(), Is.Not.EqualTo(dense[2].Kernel!.data<float>().ToArray()),
            "each layer draws its own kernel");
    }

    [Test]
    public void BuildMlp_UnknownActivation_ThrowsListingValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => SignalPropagation.BuildMlp(4, 2, 3, "swish", "he_normal"));

        Assert.That(e.ParamName, Is.EqualTo("activation"));
        Assert.That(e.Message, Does.Contain("'swish'").And.Contain("relu").And.Contain("selu"));
    }

    [Test]
    public void BuildMlp_UnknownInitializer_ThrowsSuggestingNearestName()
    {
        var e = Assert.Throws<ArgumentException>(() => SignalPropagation.BuildMlp(4, 2, 3, "relu", "he_norml"));

        Assert.That(e.ParamName, Is.EqualTo("initializer"));
        Assert.That(e.Message, Does.Contain("'he_norml'").And.Contain("Did you mean 'he_normal'"));
    }

    [TestCase(0, 2, 3, "inputDim")]
    [TestCase(4, 0, 3, "depth")]
    [TestCase(4, 2, -1, "width")]
    public void BuildMlp_SizeNotPositive_ThrowsNamingIt(int inputDim, int depth, int width, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SignalPropagation.BuildMlp(inputDim, depth, width, "relu", "he_normal"));

        Assert.That(e.ParamName, Is.EqualTo(name));
        Assert.That(e.Message, Does.Contain($"{name} must be a positive integer"));
    }

    /// <summary>The band for ln(q_l/q_0) − l·ln g after <paramref name="layers"/> layers of width <paramref name="width"/> (class remarks).</summary>
    private static (double Low, double High) ReluBand(int layers, int width)
    {
        double stepVariance = ReluStepVarianceTimesWidth / width;
        double sd = Math.Sqrt(layers * stepVariance);
        return (-layers * stepVariance / 2 - Z * sd, Z * sd);
    }

    private static SignalPropagationResult Run(string activation, string initializer)
    {
        var model = SignalPropagation.BuildMlp(Width, Depth, Width, activation, initializer, Seed);
        using var x = SignalPropagation.StandardNormalInput(Batch, Width, Seed);
        return SignalPropagation.Measure(model, x, ReadoutSeed);
    }

    private static double SecondMoment(LayerSignal layer) => layer.ActivationStd * layer.ActivationStd + layer.ActivationMean * layer.ActivationMean;

    private static double InputSecondMoment(SignalPropagationResult r) => r.InputStd * r.InputStd + r.InputMean * r.InputMean;

    private static Tensor D(Tensor t) => t.detach().to_type(ScalarType.Float64);

    private static double PopulationStd(Tensor t) => Math.Sqrt(t.sub(t.mean()).square().mean().item<double>());

    private static void AssertClose(double actual, double expected, double relative, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(relative * Math.Abs(expected)), what);
}
