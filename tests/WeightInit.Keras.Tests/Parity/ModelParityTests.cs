using System.Numerics;
using System.Text.Json;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Parity;

/// <summary>
/// The golden file's <c>models</c>: a Sequential of Dense layers built after <c>keras.utils.set_random_seed(n)</c>
/// gets Python Keras's kernels (one seed draw per Dense, kernel first; a zeros bias draws nothing).
/// </summary>
[TestOf(typeof(Sequential))]
[NonParallelizable]
public class ModelParityTests
{
    private static IEnumerable<TestCaseData> Models() =>
        Golden.Root.GetProperty("models").EnumerateArray().Select((m, i) =>
            new TestCaseData(m).SetName($"Sequential_AfterSetRandomSeed_MatchesKerasTorch(model {i}, set_random_seed={m.GetProperty("set_random_seed")})"));

    private static Sequential Build(JsonElement model)
    {
        KerasRandom.SetRandomSeed(model.GetProperty("set_random_seed").GetInt64());
        var layers = new List<Layer> { new InputLayer(model.GetProperty("input_dim").GetInt64()) };
        foreach (var layer in model.GetProperty("layers").EnumerateArray())
        {
            string kernel = layer.TryGetProperty("kernel_initializer", out var k) ? k.GetString()! : "glorot_uniform";
            layers.Add(new Dense(layer.GetProperty("units").GetInt32(), layer.GetProperty("activation").GetString(),
                kernelInitializer: kernel));
        }
        return new Sequential(layers);
    }

    [TestCaseSource(nameof(Models))]
    public void Sequential_AfterSetRandomSeed_MatchesKerasTorch(JsonElement model)
    {
        var sequential = Build(model);
        var weights = model.GetProperty("weights").EnumerateArray().ToArray();
        Assert.That(sequential.Layers, Has.Count.EqualTo(weights.Length));
        for (int i = 0; i < weights.Length; i++)
        {
            var dense = (Dense)sequential.Layers[i];
            var golden = Golden.Parse(weights[i].GetProperty("kernel"));
            var drawn = weights[i].GetProperty("kernel").GetProperty("drawn_seed").GetInt64();
            var initializer = (RandomInitializer)dense.KernelInitializer;
            Assert.Multiple(() =>
            {
                Assert.That(Naming.ToSnakeCase(initializer.ClassName), Is.EqualTo(golden.Initializer), $"layer {i}");
                Assert.That(initializer.Seed.Value, Is.EqualTo(new BigInteger(drawn)), $"layer {i}: the seed Keras drew");
            });
            Golden.AssertMatches(dense.Kernel!, golden);
            using var zeros = torch.zeros(dense.Units);
            Assert.That(Golden.Sha256(dense.Bias!), Is.EqualTo(Golden.Sha256(zeros)),
                $"layer {i}: bias is {weights[i].GetProperty("bias").GetString()}");
        }
    }

    [TestCaseSource(nameof(Models))]
    public void Sequential_AfterSetRandomSeed_DrawsOneSeedPerDense(JsonElement model)
    {
        // The zeros biases take no draw: the next seed is the one after the last kernel's.
        Build(model);
        var expected = new PythonRandom(model.GetProperty("set_random_seed").GetInt64());
        long next = 0;
        for (int i = 0; i <= model.GetProperty("layers").GetArrayLength(); i++)
        {
            next = expected.RandInt(1, 1_000_000_000);
        }
        Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(next));
    }

    [Test]
    public void Dense_RandomBiasInitializer_DrawsAfterTheKernel()
    {
        // Keras's Dense constructor resolves kernel_initializer, then bias_initializer: after random.seed(42) the
        // kernel gets CPython's first randint(1, 10**9) and the bias the second.
        KerasRandom.SetRandomSeed(42);
        var dense = new Dense(4, kernelInitializer: "he_normal", biasInitializer: "random_normal");
        Assert.Multiple(() =>
        {
            Assert.That(((RandomInitializer)dense.KernelInitializer).Seed.Value, Is.EqualTo(new BigInteger(686579304)));
            Assert.That(((RandomInitializer)dense.BiasInitializer).Seed.Value, Is.EqualTo(new BigInteger(119540832)));
        });
    }

    [Test]
    public void ReadmeSnippet_PrintsWhatPythonPrints()
    {
        // The C# half of the side-by-side example in docs/parity.md; the expected line is what the Python half
        // prints (Python's float repr of the golden model's first kernel values).
        const string PythonOutput = "[0.2205265760421753, -0.048763398081064224, -0.36611780524253845, 0.12658317387104034]";

        KerasRandom.SetRandomSeed(42);
        var model = new Sequential(
            new InputLayer(64),
            new Dense(32, activation: "relu", kernelInitializer: "he_normal"),
            new Dense(10, activation: "softmax"));
        float[] row = ((Dense)model.Layers[0]).Kernel![0].data<float>().ToArray()[..4];
        string printed = "[" + string.Join(", ", row.Select(v => ((double)v).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

        Assert.That(printed, Is.EqualTo(PythonOutput));
    }
}
