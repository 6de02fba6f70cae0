using WeightInit.Keras.Initializers;
using WeightInit.Keras.TorchInterop;

namespace WeightInit.Keras.Tests.TorchInterop;

[TestOf(typeof(TorchModules))]
public class TorchModulesTests
{
    private const int Seed = 1234;

    // 5 standard errors: a two-sided false-alarm rate of about 6e-7 per assertion (STYLE.md §5).
    private const double Z = 5.0;

    // Excess kurtosis of a normal truncated at ±2σ (STYLE.md §5).
    private const double TruncatedNormalKurtosis = -0.634;

    /// <summary>Relative standard error of a sample std: ½·√((2 + κ) / n).</summary>
    private static double RelativeStdError(long n, double kurtosis) => 0.5 * Math.Sqrt((2 + kurtosis) / n);

    private static double PopulationStd(Tensor t)
    {
        using var d = t.detach().to(ScalarType.Float64);
        return d.std(unbiased: false).item<double>();
    }

    [Test]
    public void Linear128To64_HeNormal_StdIsSqrtTwoOver128()
    {
        var linear = nn.Linear(128, 64);

        int count = TorchModules.ApplyKerasInitializer(linear, new HeNormal(Seed), new Zeros());

        // he_normal on the Keras kernel (128, 64): fan_in = 128, std √(2/128) = 0.125 (√(2/64) = 0.177 if the layout were wrong).
        double expected = Math.Sqrt(2.0 / 128);
        double tolerance = Z * expected * RelativeStdError(128 * 64, TruncatedNormalKurtosis);
        Assert.That(count, Is.EqualTo(1));
        Assert.That(PopulationStd(linear.weight!), Is.EqualTo(expected).Within(tolerance), $"seed={Seed}, n=8192, z={Z}");
        Assert.That(linear.bias!.abs().max().item<float>(), Is.EqualTo(0f));
    }

    [Test]
    public void Linear_WeightIsKerasKernelTransposed()
    {
        var linear = nn.Linear(5, 3);

        TorchModules.ApplyKerasInitializer(linear, new GlorotUniform(Seed), new Constant(0.5));

        using var keras = new GlorotUniform(Seed).Call([5, 3]);
        Assert.That(linear.weight!.shape, Is.EqualTo(new long[] { 3, 5 }));
        Assert.That(linear.weight.detach().data<float>().ToArray(), Is.EqualTo(keras.t().contiguous().data<float>().ToArray()));
        Assert.That(linear.bias!.detach().data<float>().ToArray(), Is.EqualTo(new[] { 0.5f, 0.5f, 0.5f }));
    }

    [Test]
    public void Conv2d_HeNormal_KerasLayoutPermutedAndStdMatches()
    {
        var conv = nn.Conv2d(16, 32, 3);

        TorchModules.ApplyKerasInitializer(conv, new HeNormal(Seed), new Zeros());

        // Keras Conv2D kernel (3, 3, 16, 32): fan_in = 9·16 = 144.
        using var keras = new HeNormal(Seed).Call([3, 3, 16, 32]);
        using var expectedTorch = keras.permute(3, 2, 0, 1).contiguous();
        Assert.That(conv.weight!.shape, Is.EqualTo(new long[] { 32, 16, 3, 3 }));
        Assert.That(conv.weight.detach().data<float>().ToArray(), Is.EqualTo(expectedTorch.data<float>().ToArray()));
        double expected = Math.Sqrt(2.0 / 144);
        double tolerance = Z * expected * RelativeStdError(32 * 16 * 9, TruncatedNormalKurtosis);
        Assert.That(PopulationStd(conv.weight), Is.EqualTo(expected).Within(tolerance), $"seed={Seed}, n=4608, z={Z}");
    }

    [Test]
    public void Conv1dAndConv3d_FanOutUsesKerasLayout()
    {
        var conv1 = nn.Conv1d(4, 6, 5);
        var conv3 = nn.Conv3d(2, 3, 2);

        TorchModules.ApplyKerasInitializer(conv1, new VarianceScaling(1.0, "fan_out", "uniform", Seed), new Zeros());
        TorchModules.ApplyKerasInitializer(conv3, new VarianceScaling(1.0, "fan_out", "uniform", Seed), new Zeros());

        using var keras1 = new VarianceScaling(1.0, "fan_out", "uniform", Seed).Call([5, 4, 6]);
        using var keras3 = new VarianceScaling(1.0, "fan_out", "uniform", Seed).Call([2, 2, 2, 2, 3]);
        Assert.That(conv1.weight!.detach().data<float>().ToArray(), Is.EqualTo(keras1.permute(2, 1, 0).contiguous().data<float>().ToArray()));
        Assert.That(conv3.weight!.detach().data<float>().ToArray(), Is.EqualTo(keras3.permute(4, 3, 0, 1, 2).contiguous().data<float>().ToArray()));
        // fan_out = 6·5 = 30 in Keras's layout: every value lies within ±√(3/30).
        Assert.That(conv1.weight.abs().max().item<float>(), Is.LessThan((float)Math.Sqrt(3.0 / 30)));
    }

    [Test]
    public void ByName_EachLayerDrawsItsOwnSeed_WalksSubmodules()
    {
        var model = nn.Sequential(("a", nn.Linear(8, 8)), ("relu", nn.ReLU()), ("b", nn.Linear(8, 8)));

        int count = TorchModules.ApplyKerasInitializer(model, "he_uniform", "zeros");

        var layers = model.modules().OfType<TorchSharp.Modules.Linear>().ToArray();
        Assert.That(count, Is.EqualTo(2));
        Assert.That(layers[0].weight!.detach().data<float>().ToArray(), Is.Not.EqualTo(layers[1].weight!.detach().data<float>().ToArray()));
        Assert.That(layers.Select(l => l.bias!.abs().max().item<float>()), Is.All.EqualTo(0f));
    }

    [Test]
    public void SharedIntSeededInstance_SameShapedLayersGetEqualWeights()
    {
        var model = nn.Sequential(("a", nn.Linear(8, 8)), ("b", nn.Linear(8, 8)));

        TorchModules.ApplyKerasInitializer(model, new HeUniform(Seed), new Zeros());

        var layers = model.modules().OfType<TorchSharp.Modules.Linear>().ToArray();
        Assert.That(layers[0].weight!.detach().data<float>().ToArray(), Is.EqualTo(layers[1].weight!.detach().data<float>().ToArray()));
    }

    [Test]
    public void ByName_Unknown_ThrowsBeforeTouchingWeights()
    {
        var linear = nn.Linear(4, 4);
        float[] before = linear.weight!.detach().data<float>().ToArray();

        Assert.Throws<ArgumentException>(() => TorchModules.ApplyKerasInitializer(linear, "henormal"));
        Assert.That(linear.weight.detach().data<float>().ToArray(), Is.EqualTo(before));
    }

    [Test]
    public void KerasKernelShape_MovesOutAndInToTheEnd()
    {
        Assert.That(TorchModules.KerasKernelShape([64, 128]), Is.EqualTo(new long[] { 128, 64 }));
        Assert.That(TorchModules.KerasKernelShape([32, 16, 3, 5]), Is.EqualTo(new long[] { 3, 5, 16, 32 }));
        Assert.Throws<ArgumentException>(() => TorchModules.KerasKernelShape([7]));
    }
}
