using System.CommandLine;
using WeightInit.Cli.Commands;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;
using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

[TestOf(typeof(KerasBackendRandom))]
[NonParallelizable]
public class BackendChoiceTests
{
    private const long Seed = 42;

    private static float[] Values(Tensor t)
    {
        using (t)
        {
            return t.data<float>().ToArray();
        }
    }

    [Test]
    public void Default_IsPyTorch()
    {
        Assert.That(KerasBackendRandom.Default, Is.EqualTo(RandomBackend.PyTorch));
        Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch));
    }

    [Test]
    public void Default_SetToTensorFlow_RoutesInitializers()
    {
        var expected = Values(new HeUniform(seed: Seed).Call([5, 7], null, RandomBackend.TensorFlow));
        try
        {
            KerasBackendRandom.Default = RandomBackend.TensorFlow;
            Assert.That(Values(new HeUniform(seed: Seed).Call([5, 7])), Is.EqualTo(expected));
        }
        finally
        {
            KerasBackendRandom.Default = RandomBackend.PyTorch;
        }
        Assert.That(Values(new HeUniform(seed: Seed).Call([5, 7])), Is.Not.EqualTo(expected));
    }

    [Test]
    public void Use_Scopes_NestAndRestore()
    {
        using (KerasBackendRandom.Use(RandomBackend.TensorFlow))
        {
            Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.TensorFlow));
            using (KerasBackendRandom.Use(RandomBackend.PyTorch))
            {
                Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch));
            }
            Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.TensorFlow));
        }
        Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch));
    }

    [Test]
    public void Call_PerCallBackend_MatchesEachBackendDirectly()
    {
        var tf = Values(new RandomNormal(seed: Seed).Call([3, 4], null, RandomBackend.TensorFlow));
        var torchValues = Values(new RandomNormal(seed: Seed).Call([3, 4], null, RandomBackend.PyTorch));
        Assert.That(tf, Is.EqualTo(Values(Keras.Random.TensorFlow.TensorFlowBackend.Normal([3, 4], 0.0, 0.05, ScalarType.Float32, Seed))));
        Assert.That(torchValues, Is.EqualTo(Values(TorchBackend.Normal([3, 4], 0.0, 0.05, ScalarType.Float32, Seed))));
        Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch));
    }

    [Test]
    public void Default_UndefinedValue_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KerasBackendRandom.Default = (RandomBackend)7);
        Assert.That(ex!.ParamName, Is.EqualTo("value"));
        Assert.That(ex.Message, Does.Contain("PyTorch, TensorFlow"));
        Assert.That(KerasBackendRandom.Default, Is.EqualTo(RandomBackend.PyTorch));
    }

    [TestCase("pytorch", RandomBackend.PyTorch)]
    [TestCase("Torch", RandomBackend.PyTorch)]
    [TestCase("tensorflow", RandomBackend.TensorFlow)]
    [TestCase("TF", RandomBackend.TensorFlow)]
    public void Parse_KnownNames(string name, RandomBackend expected) =>
        Assert.That(KerasBackendRandom.Parse(name), Is.EqualTo(expected));

    [Test]
    public void Parse_UnknownName_ListsAllowed()
    {
        var ex = Assert.Throws<ArgumentException>(() => KerasBackendRandom.Parse("jax"));
        Assert.That(ex!.ParamName, Is.EqualTo("name"));
        Assert.That(ex.Message, Does.Contain("'jax'").And.Contain("pytorch").And.Contain("tensorflow"));
    }

    [Test]
    public void CliBackendOption_TensorFlow_SetsDefaultForTheCommandBody()
    {
        var option = BackendOption.Create();
        var root = new RootCommand { option };
        var parse = root.Parse(["--backend", "tensorflow"]);
        Assert.That(parse.Errors, Is.Empty);
        try
        {
            RandomBackend seen = RandomBackend.PyTorch;
            int code = BackendOption.Apply(parse.GetValue(option)!, () =>
            {
                seen = KerasBackendRandom.Current;
                return 0;
            });
            Assert.That(code, Is.Zero);
            Assert.That(seen, Is.EqualTo(RandomBackend.TensorFlow));
        }
        finally
        {
            KerasBackendRandom.Default = RandomBackend.PyTorch;
        }
    }

    [Test]
    public void CliBackendOption_UnknownName_IsAParseError()
    {
        var root = new RootCommand { BackendOption.Create() };
        var parse = root.Parse(["--backend", "jax"]);
        Assert.That(parse.Errors.Select(e => e.Message), Has.Some.Contains("jax"));
        Assert.That(root.Parse([]).GetValue<string>("--backend"), Is.EqualTo("pytorch"));
    }

    [Test]
    public void Sample_NegativeOrNullShape_IsAnArgumentError()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorFlowBackend.Normal([2, -3], 0, 1, ScalarType.Float32, Seed));
        Assert.That(ex!.ParamName, Is.EqualTo("shape"));
        Assert.That(ex.Message, Does.Contain("(2, -3)"));
        var none = Assert.Throws<ArgumentNullException>(() => TensorFlowBackend.Uniform(null!, 0, 1, ScalarType.Float32, Seed));
        Assert.That(none!.ParamName, Is.EqualTo("shape"));
    }
}
