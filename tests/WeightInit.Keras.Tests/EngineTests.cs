namespace WeightInit.Keras.Tests;

[TestOf(typeof(torch))]
public class EngineTests
{
    [Test]
    public void ManualSeed42_Randn2x3_MatchesPyTorch()
    {
        float[] expected = [0.33669036626815796f, 0.12880940735340118f, 0.23446236550807953f, 0.23033303022384644f, -1.1228563785552979f, -0.18632829189300537f];
        torch.manual_seed(42);
        using var t = randn(2, 3);
        Assert.That(t.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(t.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void NormalWithGenerator_IgnoresGlobalSeed_UsesGenerator()
    {
        // The initializers depend on normal_ honouring its generator (some TorchSharp versions dropped it).
        torch.manual_seed(42);
        using var reference = randn(20);
        torch.manual_seed(7);
        using var generator = new Generator(42, CPU);
        using var drawn = empty(20).normal_(0, 1, generator);
        Assert.That(drawn.data<float>().ToArray(), Is.EqualTo(reference.data<float>().ToArray()));
    }
}
