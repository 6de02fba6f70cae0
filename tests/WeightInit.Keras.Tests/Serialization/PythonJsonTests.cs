using System.Numerics;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Tests.Serialization;

[TestOf(typeof(PythonJson))]
public class PythonJsonTests
{
    /// <summary>More than 2^64, so neither <c>long</c> nor <c>ulong</c> holds it; a Python int prints it in full.</summary>
    private const string BeyondLong = "123456789012345678901234";

    [TestCase(0.05, "0.05")]
    [TestCase(1.0, "1.0")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(-2.5e-07, "-2.5e-07")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1e16, "1e+16")]
    [TestCase(123456789012345678.0, "1.2345678901234568e+17")]
    [TestCase(0.1 + 0.2, "0.30000000000000004")]
    [TestCase(123.456, "123.456")]
    [TestCase(double.Epsilon, "5e-324")]
    [TestCase(double.MaxValue, "1.7976931348623157e+308")]
    [TestCase(0.87962566103423978, "0.8796256610342398")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(double.NegativeInfinity, "-Infinity")]
    public void FormatFloat_MatchesPythonRepr(double value, string expected)
    {
        Assert.That(PythonJson.FormatFloat(value), Is.EqualTo(expected));
    }

    [Test]
    public void Dumps_ObjectWithNonAsciiAndControlCharacters_EscapedAsPython()
    {
        Assert.That(PythonJson.Dumps(new JsonObject { ["k"] = "é\"\\\n\u0001~\u007f" }),
            Is.EqualTo("{\"k\": \"\\u00e9\\\"\\\\\\n\\u0001~\\u007f\"}"));
    }

    [Test]
    public void Dumps_StringWithNonAsciiAndTab_EscapedAsPython()
    {
        Assert.That(PythonJson.Dumps(JsonValue.Create("é\t\"x\"\u007f")), Is.EqualTo("\"\\u00e9\\t\\\"x\\\"\\u007f\""));
    }

    [Test]
    public void Dumps_InMemoryNumbers_IntegersVerbatimDoublesAndFloatsAsRepr()
    {
        var array = new JsonArray(JsonValue.Create(5), JsonValue.Create(-5L), JsonValue.Create(1.0), JsonValue.Create(0.1f));

        // A float32 0.1 widens to the double 0.10000000149011612, which is what float(np.float32(0.1)) prints.
        Assert.That(PythonJson.Dumps(array), Is.EqualTo("[5, -5, 1.0, 0.10000000149011612]"));
    }

    [Test]
    public void Dumps_ParsedNumbers_AsJsonLoadsReadsThem()
    {
        var parsed = PythonJson.Parse($"[{BeyondLong}, -7, 1e-5, 1E5, 0.50, 2.0]");

        // json.loads gives ints for the first two (any size) and floats for the rest.
        Assert.That(PythonJson.Dumps(parsed), Is.EqualTo($"[{BeyondLong}, -7, 1e-05, 100000.0, 0.5, 2.0]"));
    }

    [Test]
    public void ModelToJson_InitializerSeedBeyondLong_WrittenAsInteger()
    {
        var kernel = new HeNormal(seed: Seed.Of(BigInteger.Parse(BeyondLong, System.Globalization.CultureInfo.InvariantCulture)));
        var model = new Sequential(new InputLayer(3), new Dense(2, kernelInitializer: kernel));

        Assert.That(ModelConfig.ToJson(model), Does.Contain($"\"seed\": {BeyondLong}, \"input_axes\": null"));
    }
}
