using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Initializers;

[TestOf(typeof(KerasInitializers))]
public class SerializationTests
{
    private const string Module = "{\"module\": \"keras.initializers\", \"class_name\": ";

    // Each class's Keras 3 JSON as Python's json.dumps writes it (spec §8.1): key order, nulls, float reprs.
    private static IEnumerable<TestCaseData> ExpectedJson()
    {
        yield return Case(new Zeros(), "\"Zeros\", \"config\": {}, \"registered_name\": null}");
        yield return Case(new Ones(), "\"Ones\", \"config\": {}, \"registered_name\": null}");
        yield return Case(new Constant(0.5), "\"Constant\", \"config\": {\"value\": 0.5}, \"registered_name\": null}");
        yield return Case(new Constant(3), "\"Constant\", \"config\": {\"value\": 3.0}, \"registered_name\": null}");
        yield return Case(new Identity(), "\"Identity\", \"config\": {\"gain\": 1.0}, \"registered_name\": null}");
        yield return Case(new Identity(2.5), "\"Identity\", \"config\": {\"gain\": 2.5}, \"registered_name\": null}");
        yield return Case(new STFT(), "\"STFT\", \"config\": {\"side\": \"real\", \"window\": \"hann\", \"periodic\": false, \"scaling\": \"density\"}, \"registered_name\": null}");
        yield return Case(new STFT("imag", [1.0, 0.5, 0.25], null, true),
            "\"STFT\", \"config\": {\"side\": \"imag\", \"window\": [1.0, 0.5, 0.25], \"periodic\": true, \"scaling\": null}, \"registered_name\": null}");
        yield return Case(new STFT("real", (string?)null, "spectrum"),
            "\"STFT\", \"config\": {\"side\": \"real\", \"window\": null, \"periodic\": false, \"scaling\": \"spectrum\"}, \"registered_name\": null}");
        yield return Case(new RandomNormal(seed: 42), "\"RandomNormal\", \"config\": {\"seed\": 42, \"mean\": 0.0, \"stddev\": 0.05}, \"registered_name\": null}");
        yield return Case(new RandomNormal(), "\"RandomNormal\", \"config\": {\"seed\": null, \"mean\": 0.0, \"stddev\": 0.05}, \"registered_name\": null}");
        yield return Case(new TruncatedNormal(1.5, 1e-05, 7), "\"TruncatedNormal\", \"config\": {\"seed\": 7, \"mean\": 1.5, \"stddev\": 1e-05}, \"registered_name\": null}");
        yield return Case(new RandomUniform(seed: -3), "\"RandomUniform\", \"config\": {\"seed\": -3, \"minval\": -0.05, \"maxval\": 0.05}, \"registered_name\": null}");
        yield return Case(new VarianceScaling(2.0, "fan_out", "uniform", 5, [0], [1, 2]),
            "\"VarianceScaling\", \"config\": {\"seed\": 5, \"scale\": 2.0, \"mode\": \"fan_out\", \"distribution\": \"uniform\", \"input_axes\": [0], \"output_axes\": [1, 2]}, \"registered_name\": null}");
        yield return Case(new VarianceScaling(seed: 1),
            "\"VarianceScaling\", \"config\": {\"seed\": 1, \"scale\": 1.0, \"mode\": \"fan_in\", \"distribution\": \"truncated_normal\", \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new HeNormal(42), "\"HeNormal\", \"config\": {\"seed\": 42, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new HeUniform(1), "\"HeUniform\", \"config\": {\"seed\": 1, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new GlorotNormal(2), "\"GlorotNormal\", \"config\": {\"seed\": 2, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new GlorotUniform(3, [0], [1]), "\"GlorotUniform\", \"config\": {\"seed\": 3, \"input_axes\": [0], \"output_axes\": [1]}, \"registered_name\": null}");
        yield return Case(new LecunNormal(4), "\"LecunNormal\", \"config\": {\"seed\": 4, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new LecunUniform(5), "\"LecunUniform\", \"config\": {\"seed\": 5, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}");
        yield return Case(new Orthogonal(seed: 6), "\"Orthogonal\", \"config\": {\"seed\": 6, \"gain\": 1.0}, \"registered_name\": null}");
        yield return Case(new Orthogonal(0.1, Seed.Of(System.Numerics.BigInteger.Pow(2, 70))),
            "\"Orthogonal\", \"config\": {\"seed\": 1180591620717411303424, \"gain\": 0.1}, \"registered_name\": null}");
        yield return Case(new RandomNormal(seed: new SeedGenerator(7, "seed_generator")),
            "\"RandomNormal\", \"config\": {\"seed\": {\"module\": \"keras.random\", \"class_name\": \"SeedGenerator\", \"config\": {\"seed\": 7, \"name\": \"seed_generator\"}, \"registered_name\": null}, \"mean\": 0.0, \"stddev\": 0.05}, \"registered_name\": null}");
    }

    private static TestCaseData Case(Initializer initializer, string tail) =>
        new TestCaseData(initializer, Module + tail).SetArgDisplayNames(KerasInitializers.ToJson(initializer)[36..Math.Min(100, KerasInitializers.ToJson(initializer).Length)]);

    [TestCaseSource(nameof(ExpectedJson))]
    public void ToJson_EachClass_EqualsKerasJson(Initializer initializer, string expected)
    {
        Assert.That(KerasInitializers.ToJson(initializer), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(ExpectedJson))]
    public void Deserialize_EachClassJson_RoundTrips(Initializer initializer, string expected)
    {
        var back = KerasInitializers.Deserialize(expected);

        Assert.That(back.GetType(), Is.EqualTo(initializer.GetType()));
        Assert.That(KerasInitializers.ToJson(back), Is.EqualTo(expected));
        Assert.That(KerasInitializers.ToJson(back.Clone()), Is.EqualTo(expected));
        Assert.That(KerasInitializers.ToJson(KerasInitializers.FromConfig(initializer.ClassName, (JsonObject)KerasInitializers.Serialize(initializer)["config"]!)),
            Is.EqualTo(expected));
    }

    [Test]
    public void Deserialize_Keras2Dict_Works()
    {
        var vs = (VarianceScaling)KerasInitializers.Deserialize(
            "{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 2.0, \"mode\": \"fan_avg\", \"distribution\": \"normal\", \"seed\": 3}}");

        Assert.That(vs.Scale, Is.EqualTo(2.0));
        Assert.That(vs.Mode, Is.EqualTo("fan_avg"));
        Assert.That(vs.Distribution, Is.EqualTo("truncated_normal"), "legacy 'normal' is stored as truncated_normal");
        Assert.That(vs.InitialSeed, Is.EqualTo(Seed.Of(3)));
    }

    [Test]
    public void Deserialize_BareStringAndSnakeClassName_Work()
    {
        Assert.That(KerasInitializers.Deserialize("he_normal"), Is.TypeOf<HeNormal>());
        Assert.That(KerasInitializers.Deserialize("\"uniform\""), Is.TypeOf<RandomUniform>());
        Assert.That(KerasInitializers.Deserialize(JsonValue.Create("one")!), Is.TypeOf<Ones>());
        Assert.That(KerasInitializers.Get(JsonNode.Parse("{\"class_name\": \"he_normal\", \"config\": null}")!), Is.TypeOf<HeNormal>());
        Assert.That(KerasInitializers.Get(JsonNode.Parse("{\"class_name\": \"Zeros\"}")!), Is.TypeOf<Zeros>());
    }

    [Test]
    public void Get_Instance_ReturnsSameObject()
    {
        var he = new HeNormal(1);

        Assert.That(KerasInitializers.Get(he), Is.SameAs(he));
    }

    [Test]
    public void Deserialize_ModuleIgnored_ForBuiltIn()
    {
        var he = KerasInitializers.Deserialize("{\"module\": \"somewhere.else\", \"class_name\": \"HeNormal\", \"config\": {\"seed\": 1}, \"registered_name\": null}");

        Assert.That(he, Is.TypeOf<HeNormal>());
    }

    [Test]
    public void Deserialize_NoClassName_ThrowsNamingTheDict()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize("{\"config\": {}}"));

        Assert.That(e!.Message, Does.StartWith("Unknown `config` as a `dict`"));
        Assert.That(e.Message, Does.Contain("{\"config\":{}}"));
    }

    [Test]
    public void Deserialize_UnknownConfigKey_ThrowsListingAcceptedKeys()
    {
        // tf.keras 2 wrote "dtype" inside initializer configs; Keras 3 rejects it, and so do we.
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize(
            "{\"class_name\": \"RandomNormal\", \"config\": {\"mean\": 0.0, \"stddev\": 1.0, \"dtype\": \"float32\"}}"));

        Assert.That(e!.ParamName, Is.EqualTo("dtype"));
        Assert.That(e.Message, Does.Contain("unknown config key(s) dtype"));
        Assert.That(e.Message, Does.Contain("takes only seed, mean, stddev"));
    }

    [Test]
    public void Deserialize_WrongValueType_ThrowsNamingKeyAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize(
            "{\"class_name\": \"RandomNormal\", \"config\": {\"stddev\": \"big\"}}"));

        Assert.That(e!.ParamName, Is.EqualTo("stddev"));
        Assert.That(e.Message, Does.Contain("must be a number; received \"big\""));
    }

    [Test]
    public void FromConfig_IntegersBuiltInMemory_ReadAsNumbers()
    {
        // JsonObject's implicit int conversion stores a JsonValue<int>, which reads like the parsed literal 3.
        var constant = (Constant)KerasInitializers.FromConfig("Constant", new JsonObject { ["value"] = 3 });
        var identity = (Identity)KerasInitializers.FromConfig("Identity", new JsonObject { ["gain"] = -2L });

        Assert.That(constant.Value, Is.EqualTo(3.0));
        Assert.That(identity.Gain, Is.EqualTo(-2.0));
    }

    [Test]
    public void Deserialize_FloatSeed_ThrowsKerasSeedError()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize(
            "{\"class_name\": \"HeNormal\", \"config\": {\"seed\": 1.5}}"));

        Assert.That(e!.ParamName, Is.EqualTo("seed"));
        Assert.That(e.Message, Is.EqualTo(
            "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an integer. Received: seed=1.5 (Parameter 'seed')"));
    }

    [Test]
    public void Deserialize_NullDistribution_ThrowsClearly()
    {
        // Keras crashes with AttributeError ('NoneType' has no attribute 'lower'); we name the argument and the choices.
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize(
            "{\"class_name\": \"VarianceScaling\", \"config\": {\"distribution\": null}}"));

        Assert.That(e!.ParamName, Is.EqualTo("distribution"));
        Assert.That(e.Message, Does.Contain("Invalid `distribution` argument: null. Allowed: truncated_normal, untruncated_normal, uniform"));
    }

    [Test]
    public void Deserialize_IdentityGain_IsKept()
    {
        var identity = (Identity)KerasInitializers.Deserialize("{\"class_name\": \"Identity\", \"config\": {\"gain\": 3.0}}");

        Assert.That(identity.Gain, Is.EqualTo(3.0));
        Assert.That(((Identity)identity.Clone()).Gain, Is.EqualTo(3.0));
    }

    [Test]
    public void Deserialize_SeedGeneratorSeed_RebuildsGenerator()
    {
        var normal = (RandomNormal)KerasInitializers.Deserialize(
            "{\"class_name\": \"RandomNormal\", \"config\": {\"seed\": {\"module\": \"keras.random\", \"class_name\": \"SeedGenerator\", " +
            "\"config\": {\"seed\": 7, \"name\": \"my_gen\"}, \"registered_name\": null}}}");

        Assert.That(normal.Seed.Generator, Is.Not.Null);
        Assert.That(normal.Seed.Generator!.Name, Is.EqualTo("my_gen"));
        Assert.That(normal.Seed.Generator.State, Is.EqualTo((7, 0)));
    }

    [Test]
    public void Clone_IntSeed_SameValues()
    {
        var he = new HeNormal(42);
        using var a = he.Call([16, 8]);
        using var b = he.Clone().Call([16, 8]);

        Assert.That(b.data<float>().ToArray(), Is.EqualTo(a.data<float>().ToArray()));
    }

    [Test]
    public void Clone_Unseeded_DrawsNewSeedAndKeepsNullInConfig()
    {
        var he = new HeNormal();
        var clone = (HeNormal)he.Clone();

        Assert.That(clone.InitialSeed, Is.Null);
        Assert.That(KerasInitializers.ToJson(clone), Is.EqualTo(KerasInitializers.ToJson(he)));
        Assert.That(clone.Seed, Is.Not.EqualTo(he.Seed), "a clone of an unseeded initializer draws its own seed, as in Keras");
    }

    [Test]
    public void Deserialize_ModuleNullUnregistered_ThrowsHowToRegister()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize(
            "{\"module\": null, \"class_name\": \"MyInit\", \"config\": {}, \"registered_name\": \"Unregistered>MyInit\"}"));

        Assert.That(e!.Message, Does.Contain("Cannot deserialize initializer 'MyInit' (registered_name 'Unregistered>MyInit')"));
        Assert.That(e.Message, Does.Contain("KerasInitializers.Register<MyInit>(\"Unregistered\", \"MyInit\", config => ...)"));
        Assert.That(e.Message, Does.Contain("register_keras_serializable"));
    }

    [Test]
    public void Deserialize_RegisteredCustom_FoundByRegisteredName()
    {
        KerasInitializers.Register("MyPackage", "Halves", config => new Halves(config["scale"]?.GetValue<double>() ?? 1.0));
        var halves = new Halves(4.0);

        string json = KerasInitializers.ToJson(halves);
        var back = KerasInitializers.Deserialize(json);

        Assert.That(json, Is.EqualTo(
            "{\"module\": \"WeightInit.Keras.Tests.Initializers\", \"class_name\": \"Halves\", \"config\": {\"scale\": 4.0}, \"registered_name\": \"MyPackage>Halves\"}"));
        Assert.That(back, Is.TypeOf<Halves>());
        Assert.That(((Halves)back).Scale, Is.EqualTo(4.0));
        Assert.That(KerasInitializers.Get("MyPackage>Halves"), Is.TypeOf<Halves>());
        using var values = back.Call([3]);
        Assert.That(values.data<float>().ToArray(), Is.EqualTo(new[] { 2f, 2f, 2f }));
    }

    [Test]
    public void Register_NameWithSeparator_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Register("a>b", "c", _ => new Halves(1)));

        Assert.That(e!.ParamName, Is.EqualTo("package"));
    }

    private sealed class Halves(double scale) : Initializer
    {
        public double Scale { get; } = scale;

        protected override Tensor Generate(long[] shape, ScalarType dtype) => full(shape, Scale / 2, dtype);

        public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["scale"] = Scale };
    }
}

// Touches the process-wide Keras seed source, so it must not run alongside other tests.
[NonParallelizable]
[TestOf(typeof(KerasInitializers))]
public class SeedDrawOrderTests
{
    // CPython 3.11: random.seed(42); random.randint(1, 10**9) for the first two draws (spec §6.3).
    private const long FirstDrawAfterSeed42 = 686579304;
    private const long SecondDrawAfterSeed42 = 119540832;

    [Test]
    public void Deserialize_UnknownKey_FailsBeforeDrawingASeed()
    {
        KerasRandom.SetRandomSeed(42);

        Assert.Throws<ArgumentException>(() => KerasInitializers.Deserialize("{\"class_name\": \"HeNormal\", \"config\": {\"dtype\": \"float32\"}}"));
        var first = new HeNormal();
        var second = KerasInitializers.Get("he_normal");

        Assert.That(first.Seed, Is.EqualTo(Seed.Of(FirstDrawAfterSeed42)));
        Assert.That(((HeNormal)second).Seed, Is.EqualTo(Seed.Of(SecondDrawAfterSeed42)));
    }

    [Test]
    public void TorchModulesByName_DrawsOneSeedPerRandomInitializer()
    {
        KerasRandom.SetRandomSeed(42);
        var linear = nn.Linear(6, 4);

        WeightInit.Keras.TorchInterop.TorchModules.ApplyKerasInitializer(linear, "he_normal", "zeros");

        using var expected = new HeNormal(FirstDrawAfterSeed42).Call([6, 4]);
        Assert.That(linear.weight!.detach().data<float>().ToArray(), Is.EqualTo(expected.t().contiguous().data<float>().ToArray()));
    }
}
