using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;
using WeightInit.Keras.Serialization;
using static WeightInit.Keras.Tests.ModelFiles.ModelFileTestSupport;

namespace WeightInit.Keras.Tests.ModelFiles;

[TestOf(typeof(ModelConfig))]
[NonParallelizable]
public class ModelConfigTests
{
    /// <summary>Spec §9.2's example model, as Python's json.dumps prints it (the spec shows it with line breaks added).</summary>
    private const string SpecExampleJson =
        """{"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 784], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, "registered_name": null}, """ +
        """{"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 64, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null}, "registered_name": null, "build_config": {"input_shape": [null, 784]}}, """ +
        """{"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 10, "activation": "softmax", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null}, "registered_name": null, "build_config": {"input_shape": [null, 64]}}], """ +
        "\"build_input_shape\": [null, 784]}, \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 784]}, \"compile_config\": {}}";

    [SetUp]
    public void FreshSession() => Naming.ClearSession();

    [Test]
    public void ToJson_SpecExampleModel_EqualsSpecJsonByteForByte()
    {
        var model = new Sequential(new InputLayer(784), new Dense(64, "relu", kernelInitializer: "he_normal"), new Dense(10, "softmax"));

        Assert.That(ModelConfig.ToJson(model), Is.EqualTo(SpecExampleJson));
    }

    [Test]
    public void ToJson_ModelOfPythonFixture_EqualsPythonJsonDumpsOutput()
    {
        // seed_model.json was written by make_fixtures.py with json.dumps, independently of this library.
        string python = File.ReadAllText(Fixture("seed_model.json"));
        var model = ModelConfig.FromJson(python);

        Assert.That(ModelConfig.ToJson(model), Is.EqualTo(python));
    }

    [Test]
    public void ToJson_DropoutFlattenActivation_WriteKerasKeysInOrder()
    {
        var model = SmallModel();
        var layers = ModelConfig.Serialize(model)["config"]!["layers"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(layers[1]!["class_name"]!.GetValue<string>(), Is.EqualTo("Flatten"));
            Assert.That(PythonJson.Dumps(layers[1]!["config"]), Does.EndWith("\"data_format\": \"channels_last\"}"));
            Assert.That(PythonJson.Dumps(layers[3]!["config"]), Does.EndWith("\"rate\": 0.3, \"seed\": 5, \"noise_shape\": null}"));
            Assert.That(PythonJson.Dumps(layers[5]!["config"]), Does.EndWith("\"activation\": \"softmax\"}"));
            Assert.That(PythonJson.Dumps(layers[3]!["build_config"]), Is.EqualTo("{\"input_shape\": [null, 5]}"));
            Assert.That(PythonJson.Dumps(layers[2]!["config"]!["kernel_initializer"]),
                Is.EqualTo("{\"module\": \"keras.initializers\", \"class_name\": \"HeNormal\", \"config\": {\"seed\": 11, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}"));
        });
    }

    [Test]
    public void FromJson_RoundTrip_SameConfigAndSeededInitializers()
    {
        var model = SmallModel();
        string json = ModelConfig.ToJson(model);
        var rebuilt = ModelConfig.FromJson(json);

        Assert.Multiple(() =>
        {
            Assert.That(ModelConfig.ToJson(rebuilt), Is.EqualTo(json));
            Assert.That(rebuilt.Layers.Select(l => l.GetType()), Is.EqualTo(model.Layers.Select(l => l.GetType())));
            // Seeded initializers rebuild the same kernels without any weights file.
            Assert.That(Values(rebuilt.Weights[0]), Is.EqualTo(Values(model.Weights[0])));
            Assert.That(Values(rebuilt.Weights[2]), Is.EqualTo(Values(model.Weights[2])));
        });
    }

    [Test]
    public void FromJson_SetRandomSeed42_KernelsEqualPythonKerasGoldens()
    {
        // The parity goldens' `models` section (../shared/parity/keras-torch-golden.json, made by Python Keras 3 on
        // torch, CPU): set_random_seed(42), Input(64) → Dense(32, relu, he_normal) → Dense(10, softmax). The seeds
        // drawn are 686579304 and 119540832; the kernels' SHA-256 over little-endian float32 are copied here.
        const string HeNormalSha = "4cf72cd34afdf3e1ffec03e9ff22737a683534137b682b4be4d0200e8349c695";
        const string GlorotUniformSha = "c013b06bdc5d9bb2dd7a79d74a4879c8a62ae0f0e36502f509a46006818683d4";
        float[] heNormalFirst = [0.2205265760421753f, -0.048763398081064224f, -0.36611780524253845f, 0.12658317387104034f];

        KerasRandom.SetRandomSeed(42);
        var model = ModelConfig.FromJson(File.ReadAllText(Fixture("seed_model.json")));

        using var expected = new HeNormal(seed: 686579304).Call([64, 32]);
        Assert.Multiple(() =>
        {
            Assert.That(Values(model.Weights[0]), Is.EqualTo(Values(expected)));
            Assert.That(Values(model.Weights[0])[..4], Is.EqualTo(heNormalFirst));
            Assert.That(Sha256(model.Weights[0]), Is.EqualTo(HeNormalSha));
            Assert.That(Sha256(model.Weights[2]), Is.EqualTo(GlorotUniformSha));
        });
    }

    [Test]
    public void FromJson_DropoutBetweenDenses_DropoutTakesOneSeedDraw()
    {
        // Spec §6.3: a Dropout's SeedGenerator(None) takes one draw, so after set_random_seed(42) the second Dense
        // gets the third randint(1, 10**9) of seed 42, which is 26855093 (spec §6.3 table).
        var config = PythonJson.Parse(File.ReadAllText(Fixture("seed_model.json")))!.AsObject();
        var layers = config["config"]!["layers"]!.AsArray();
        layers.Insert(2, PythonJson.Parse("""{"module": "keras.layers", "class_name": "Dropout", "config": {"name": "dropout", "trainable": true, "dtype": "float32", "rate": 0.5, "seed": null, "noise_shape": null}, "registered_name": null}"""));

        KerasRandom.SetRandomSeed(42);
        var model = ModelConfig.Deserialize(config);

        using var expected = new GlorotUniform(seed: 26855093).Call([32, 10]);
        Assert.That(Values(model.Weights[2]), Is.EqualTo(Values(expected)));
    }

    [Test]
    public void SerializeDeserialize_SharedUnseededInitializer_StaysOneInstance()
    {
        // Keras marks an object serialized twice with "shared_object_id" and rebuilds one instance, so two
        // same-shaped layers sharing an unseeded initializer get one seed and equal kernels after a reload.
        var shared = new HeNormal();
        var model = new Sequential(new InputLayer(4), new Dense(4, null, true, shared), new Dense(4, null, true, shared));
        var json = ModelConfig.Serialize(model);
        var layers = json["config"]!["layers"]!.AsArray();

        var rebuilt = ModelConfig.Deserialize(json);

        var first = (Dense)rebuilt.Layers[0];
        var second = (Dense)rebuilt.Layers[1];
        Assert.Multiple(() =>
        {
            Assert.That(layers[1]!["config"]!["kernel_initializer"]!["shared_object_id"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(layers[2]!["config"]!["kernel_initializer"]!["shared_object_id"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(layers[1]!["config"]!["bias_initializer"]!.AsObject().ContainsKey("shared_object_id"), Is.False);
            Assert.That(second.KernelInitializer, Is.SameAs(first.KernelInitializer));
            Assert.That(Values(second.Kernel!), Is.EqualTo(Values(first.Kernel!)));
        });
    }

    [Test]
    public void FromJson_Keras2ConfigWithoutInputLayer_TakesInputFromBatchInputShape()
    {
        const string Keras2 = """{"class_name": "Sequential", "config": {"name": "seq", "layers": [{"class_name": "Dense", "config": {"name": "d", "trainable": true, "batch_input_shape": [null, 7], "dtype": "float32", "units": 3, "activation": "linear", "use_bias": false, "kernel_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.5, "maxval": 0.5, "seed": 9}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]}, "keras_version": "2.15.0", "backend": "tensorflow"}""";

        var model = ModelConfig.FromJson(Keras2);

        using var expected = new RandomUniform(-0.5, 0.5, seed: 9).Call([7, 3]);
        Assert.Multiple(() =>
        {
            Assert.That(model.Name, Is.EqualTo("seq"));
            Assert.That(model.Input.Shape, Is.EqualTo(new long[] { 7 }));
            Assert.That(model.Weights, Has.Count.EqualTo(1));
            Assert.That(Values(model.Weights[0]), Is.EqualTo(Values(expected)));
        });
    }

    [TestCase("\"Dropout\"", "\"Conv2D\"", "unknown layer type 'Conv2D'")]
    [TestCase("\"HeNormal\"", "\"MyInitializer\"", "MyInitializer")]
    [TestCase("\"kernel_regularizer\": null", "\"kernel_regularizer\": {\"class_name\": \"L2\", \"config\": {\"l2\": 0.01}}", "kernel_regularizer")]
    [TestCase("\"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null, \"shared_object_id\": 140211}, \"units\": 4",
        "\"trainable\": true, \"dtype\": \"bfloat16\", \"units\": 4", "only float32")]
    [TestCase("\"units\": 4", "\"units\": 4, \"lora_rank\": 2", "lora_rank")]
    [TestCase("\"units\": 4", "\"units\": 4, \"surprise\": 1", "unexpected key `surprise`")]
    [TestCase("\"units\": 4", "\"units\": -4", "units=-4")]
    [TestCase("\"rate\": 0.5", "\"rate\": 1.5", "rate=1.5")]
    [TestCase("\"class_name\": \"Sequential\"", "\"class_name\": \"Functional\"", "only Sequential")]
    public void FromJson_UnsupportedContent_ThrowsInvalidDataNamingIt(string find, string replace, string expectedInMessage)
    {
        string json = ArchiveConfig("python_dense_dropout.keras");
        Assert.That(json, Does.Contain(find), "test precondition: the fixture config contains the text to replace");
        int at = json.IndexOf(find, StringComparison.Ordinal);
        string broken = json[..at] + replace + json[(at + find.Length)..];

        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.FromJson(broken));
        Assert.That(e!.Message, Does.Contain(expectedInMessage));
    }

    [TestCase("\"units\": 3", "\"units\": 2000000000", "parameters; at most")]
    [TestCase("\"batch_shape\": [null, 8]", "\"batch_shape\": [null, 4000000000, 4000000000, 4000000000]", "more than 2^63")]
    public void FromJson_HugeModel_RejectedBeforeAllocating(string find, string replace, string expectedInMessage)
    {
        string broken = ArchiveConfig("python_dense_dropout.keras").Replace(find, replace, StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.FromJson(broken));
        Assert.That(e!.Message, Does.Contain(expectedInMessage));
    }

    [Test]
    public void FromJson_NotJson_ThrowsInvalidData()
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.FromJson("{\"class_name\": "));
        Assert.That(e!.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public void FromJson_CustomLayerWithNullModule_ThrowsNamingTheClass()
    {
        const string Json = """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}}, {"module": null, "class_name": "MyLayer", "config": {"name": "m"}, "registered_name": "MyLayer"}]}}""";

        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.FromJson(Json));
        Assert.That(e!.Message, Does.Contain("custom class 'MyLayer'"));
    }

    private static string ArchiveConfig(string fixture) => KerasFile.ReadConfig(Fixture(fixture));
}
